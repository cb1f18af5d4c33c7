//! Reports are built from a run's files alone: `pledgesim report` writes report.html (every
//! chart inline, the font embedded, nothing loaded from the network) and every chart as SVG and
//! PNG; bad folders and templates are refused with exit code 2, a missing browser is a
//! warning (exit code 0) and a failing one exit code 1; an output folder holding a
//! report can still be replaced by a new run. The browser and PDF checks are in
//! .ci/report/test.sh (a real headless Chromium).

use crate::common;

use common::{pledgesim, report, small_sweep, sweep, write};
use std::path::Path;

fn run_with_report(out: &Path) {
    pledgesim()
        .args(["run", "--quiet", "-r", "3"])
        .arg("--out")
        .arg(out)
        .assert()
        .success();
    report(out);
}

#[test]
fn a_run_report_is_one_self_contained_file_with_every_chart() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    run_with_report(&out);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    for text in [
        "Summary: which pledges are kept",
        "pledges this scenario measures",
        "Assumptions",
        "Method, and how to reproduce this report",
        "scenario hash",
        "@font-face",
        "font-family: 'DejaVu Sans'",
    ] {
        assert!(html.contains(text), "no \"{text}\"");
    }
    assert!(!html.contains("src=\"http"), "loads from the network");
    assert!(!html.contains("href=\"http"), "links to the network");
    let figures = html.matches("<figure class=\"chart\"").count();
    assert!(figures >= 7, "{figures} charts");
    // Every chart also as SVG and PNG files.
    for name in [
        "scorecard",
        "answer-times",
        "attendance-times",
        "hours-t1",
        "wards-t3",
        "ward-map",
        "visible-time",
    ] {
        assert!(
            html.contains(&format!("data-chart=\"{name}\"")),
            "{name} not in the report"
        );
        let svg = std::fs::read_to_string(out.join("charts").join(format!("{name}.svg"))).unwrap();
        assert!(svg.contains("<svg"), "{name}.svg");
        let png = std::fs::read(out.join("charts").join(format!("{name}.png"))).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{name}.png");
    }
    // Built from the files alone: the same files give the same report.
    let first = html.clone();
    pledgesim()
        .arg("report")
        .arg(&out)
        .arg("--no-pdf")
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(out.join("report.html")).unwrap(),
        first
    );
    // The folder, report and charts included, is still a pledgesim output a new run replaces.
    pledgesim()
        .args(["run", "--quiet", "-r", "2"])
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    assert!(!out.join("report.html").exists());
}

#[test]
fn compare_and_sweep_reports_follow_the_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cmp = dir.path().join("cmp");
    pledgesim()
        .args(["compare", "--quiet", "-r", "3"])
        .arg(root.join("scenarios/small.toml"))
        .arg(root.join("scenarios/small-15.toml"))
        .arg("--out")
        .arg(&cmp)
        .assert()
        .success();
    report(&cmp);
    let html = std::fs::read_to_string(cmp.join("report.html")).unwrap();
    assert!(html.contains("Comparing scenarios") && html.contains("data-chart=\"differences-1\""));
    let file = small_sweep(
        dir.path(),
        "sweep.toml",
        "replications = 2\n[grid]\n\"roster.handlers.constant\" = [12, 14, 16]\n",
    );
    let sw = dir.path().join("sw");
    sweep(&file, &sw, &[]).success();
    report(&sw);
    let html = std::fs::read_to_string(sw.join("report.html")).unwrap();
    assert!(html.contains("data-chart=\"sweep-t1\""), "no sweep chart");
}

#[test]
fn bad_folders_and_templates_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    pledgesim()
        .arg("report")
        .arg(dir.path())
        .arg("--no-pdf")
        .assert()
        .code(2);
    let out = dir.path().join("run");
    run_with_report(&out);
    let template = write(dir.path(), "t.html", "<html>{{title}}</html>");
    let a = pledgesim()
        .arg("report")
        .arg(&out)
        .arg("--no-pdf")
        .arg("--template")
        .arg(&template)
        .assert()
        .code(2);
    assert!(common::stderr(&a).contains("the template must contain"));
    // A template of one's own restyles the report.
    std::fs::write(&template, "<html><head><style>{{style}} h2 { color: navy }</style></head><body><p>FORCE HEADER</p><h1>{{title}}</h1>{{body}}</body></html>").unwrap();
    pledgesim()
        .arg("report")
        .arg(&out)
        .arg("--no-pdf")
        .arg("--template")
        .arg(&template)
        .assert()
        .success();
    assert!(
        std::fs::read_to_string(out.join("report.html"))
            .unwrap()
            .contains("FORCE HEADER")
    );
}

/// Exit codes of `report` (src/error.rs): no browser is a warning (0), a browser named by
/// PLEDGESIM_BROWSER that is not there is the user's to fix (2), a browser that fails is the
/// machine's (1). report.html and the charts are written in every case.
#[test]
fn without_a_browser_the_report_is_written_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    run_with_report(&out);
    let fresh = |out: &Path| {
        std::fs::remove_file(out.join("report.html")).unwrap();
        std::fs::remove_dir_all(out.join("charts")).unwrap();
    };
    let written = |out: &Path| {
        assert!(out.join("report.html").is_file());
        assert!(out.join("charts").join("scorecard.png").is_file());
        assert!(!out.join("report.pdf").exists());
    };
    // No browser on the PATH: exit 0, a warning naming Debian's package.
    fresh(&out);
    let a = pledgesim()
        .arg("report")
        .arg(&out)
        .env("PATH", "/nonexistent")
        .env_remove("PLEDGESIM_BROWSER")
        .assert()
        .success();
    let stderr = common::stderr(&a);
    assert!(
        stderr.starts_with("warning: report.pdf not written: ")
            && stderr.contains("Debian's package `chromium`"),
        "{stderr}"
    );
    assert!(common::stdout(&a).contains("report.html"));
    written(&out);
    // The same through `run --report`.
    let again = dir.path().join("again");
    let a = pledgesim()
        .args(["run", "--quiet", "-r", "2", "--report"])
        .arg("--out")
        .arg(&again)
        .env("PATH", "/nonexistent")
        .env_remove("PLEDGESIM_BROWSER")
        .assert()
        .success();
    assert!(common::stderr(&a).contains("warning: report.pdf not written"));
    written(&again);
    // A browser named that is not there: exit 2, naming the variable.
    fresh(&out);
    let a = pledgesim()
        .arg("report")
        .arg(&out)
        .env("PLEDGESIM_BROWSER", dir.path().join("no-such-browser"))
        .assert()
        .code(2);
    let stderr = common::stderr(&a);
    assert!(
        stderr.starts_with("error: PLEDGESIM_BROWSER: cannot start"),
        "{stderr}"
    );
    written(&out);
    // A browser that fails: exit 1, the machine's failure.
    fresh(&out);
    let a = pledgesim()
        .arg("report")
        .arg(&out)
        .env("PLEDGESIM_BROWSER", "/bin/false")
        .assert()
        .code(1);
    let stderr = common::stderr(&a);
    assert!(stderr.contains("could not print report.pdf"), "{stderr}");
    written(&out);
}

/// The text of an SVG chart's labels, one string per `<text>` element.
fn svg_texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let body = &t[t.find('>')? + 1..t.find("</text>")?];
            Some(
                body.trim()
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&amp;", "&"),
            )
        })
        .collect()
}

/// The share of calls within `t_ms` as the scorecard counts it, pooled over the replications,
/// computed from histograms.csv and summary.json alone: answered within t / (answered +
/// abandoned at or after t + unresolved).
fn pooled_share_within(out: &Path, kpi: &str, t_ms: u64) -> f64 {
    let mut r = csv::Reader::from_path(out.join("histograms.csv")).unwrap();
    let (mut within, mut answered, mut later) = (0.0, 0.0, 0.0);
    for row in r.records() {
        let row = row.unwrap();
        if &row[0] != kpi {
            continue;
        }
        let low: u64 = row[4].parse().unwrap();
        let high: Option<u64> = row[5].parse().ok();
        let count: f64 = row[6].parse().unwrap();
        match &row[3] {
            "answer_wait" => {
                answered += count;
                if high.is_some_and(|h| h <= t_ms) {
                    within += count;
                }
            }
            "abandon_wait" if low >= t_ms => later += count,
            _ => {}
        }
    }
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let reps = summary["replications"].as_f64().unwrap();
    let unresolved: f64 = summary["kpis"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|k| k["kpi"] == kpi && k["statistic"] == "unresolved")
        .filter_map(|k| k["mean"].as_f64())
        .sum::<f64>()
        * reps;
    within / (answered + later + unresolved)
}

/// Issue: the answer-time chart marked only the 999 target and read the non-emergency line at
/// 10 s too (its target is 30 s), and its lines counted answered calls only, so they disagreed
/// with the scorecard. Now each line is marked at its own target, with the share the scorecard's
/// definition gives there, read from the run's own files.
#[test]
fn each_curve_is_marked_at_its_own_target_with_the_scorecards_share() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    run_with_report(&out);
    let svg = std::fs::read_to_string(out.join("charts/answer-times.svg")).unwrap();
    let texts = svg_texts(&svg);
    for (kpi, t_ms, words) in [("T1", 10_000, "within 10 s"), ("T2", 30_000, "within 30 s")] {
        let share = pooled_share_within(&out, kpi, t_ms);
        let label = format!("{:.1}% {words}", share * 100.0);
        assert!(texts.contains(&label), "no \"{label}\" in {texts:?}");
    }
    // The non-emergency line is not read at the 999 target's time.
    let t2_at_10 = format!(
        "{:.1}% within 10 s",
        pooled_share_within(&out, "T2", 10_000) * 100.0
    );
    assert_eq!(
        texts.iter().filter(|t| **t == t2_at_10).count(),
        usize::from(
            t2_at_10
                == format!(
                    "{:.1}% within 10 s",
                    pooled_share_within(&out, "T1", 10_000) * 100.0
                )
        )
    );
    // Each attendance line at its own time: emergencies at 15 min, priority at 60 min.
    let svg = std::fs::read_to_string(out.join("charts/attendance-times.svg")).unwrap();
    let texts = svg_texts(&svg);
    assert!(
        texts.iter().any(|t| t.ends_with("% within 15 min")),
        "{texts:?}"
    );
    assert!(
        texts.iter().any(|t| t.ends_with("% within 60 min")),
        "{texts:?}"
    );
    // The chart's mark and the scorecard agree (the scorecard averages the runs' shares; the
    // line pools their calls: a few tenths at most), and the caption says so with numbers.
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let card = summary["kpis"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kpi"] == "T2" && k["statistic"] == "share_within")
        .unwrap()["mean"]
        .as_f64()
        .unwrap();
    assert!((card - pooled_share_within(&out, "T2", 30_000)).abs() < 0.005);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        html.contains("non-emergency calls (T2)"),
        "caption names each line"
    );
}

/// Issue: each hour-of-week chart had its own colour scale, so one colour meant different
/// shares; and the ward map's caption said "the darker, the better" when darker is worse.
#[test]
fn hour_charts_share_one_colour_scale_and_captions_say_what_darker_means() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    run_with_report(&out);
    let lows: Vec<String> = ["t1", "t2", "t3"]
        .iter()
        .map(|k| {
            let svg = std::fs::read_to_string(out.join(format!("charts/hours-{k}.svg"))).unwrap();
            svg_texts(&svg)
                .into_iter()
                .find(|t| t.starts_with('≤'))
                .unwrap_or_else(|| "0%".into())
        })
        .collect();
    assert!(
        lows.iter().all(|l| *l == lows[0]),
        "scales differ: {lows:?}"
    );
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(!html.contains("the darker, the better"));
    assert!(html.contains("the darker, the lower the share (the worse)"));
    assert!(html.contains("the same colour scale"));
}

/// Issue: `compare --report` and `sweep --report` printed nothing when the PDF could not be
/// printed: the on-screen results were lost. Now the results are printed first and report.html
/// written; with no browser the command exits 0 with a warning naming how to install Chromium
/// and PLEDGESIM_BROWSER, and with a failing browser the results are still on screen.
#[test]
fn compare_and_sweep_reports_without_a_browser_keep_the_results() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let compare = |out: &Path, browser: Option<&str>| {
        let mut c = pledgesim();
        c.args(["compare", "--quiet", "-r", "2", "--report"])
            .arg(root.join("scenarios/small.toml"))
            .arg(root.join("scenarios/small-15.toml"))
            .arg("--out")
            .arg(out);
        match browser {
            None => c
                .env("PATH", "/nonexistent")
                .env_remove("PLEDGESIM_BROWSER"),
            Some(b) => c.env("PLEDGESIM_BROWSER", b),
        };
        c.assert()
    };
    let a = compare(&dir.path().join("c1"), None).success();
    assert!(common::stdout(&a).contains("paired comparison"));
    let err = common::stderr(&a);
    assert!(
        err.contains("apt install chromium") && err.contains("PLEDGESIM_BROWSER"),
        "{err}"
    );
    assert!(dir.path().join("c1/report.html").is_file());
    let a = compare(&dir.path().join("c2"), Some("/bin/false")).code(1);
    assert!(
        common::stdout(&a).contains("paired comparison"),
        "results lost"
    );
    assert!(dir.path().join("c2/report.html").is_file());

    let file = small_sweep(
        dir.path(),
        "sweep.toml",
        "replications = 2\n[grid]\n\"roster.handlers.constant\" = [12, 14]\n",
    );
    let sweep_with = |out: &Path, browser: Option<&str>| {
        let mut c = common::sweep_command(&file, out);
        c.arg("--report");
        match browser {
            None => c
                .env("PATH", "/nonexistent")
                .env_remove("PLEDGESIM_BROWSER"),
            Some(b) => c.env("PLEDGESIM_BROWSER", b),
        };
        c.assert()
    };
    let a = sweep_with(&dir.path().join("s1"), None).success();
    assert!(
        common::stdout(&a).contains("2 points"),
        "{}",
        common::stdout(&a)
    );
    assert!(common::stderr(&a).contains("PLEDGESIM_BROWSER"));
    assert!(dir.path().join("s1/report.html").is_file());
    let a = sweep_with(&dir.path().join("s2"), Some("/bin/false")).code(1);
    assert!(common::stdout(&a).contains("2 points"), "results lost");
}

/// Issue: a sweep's report was titled and labelled with field paths, charted only T1-T3 and had
/// no summary in words. Now parameters are named in words (the path beside them), every
/// measured target has its section, and a first page says where each pledge is kept.
#[test]
fn a_sweep_report_speaks_in_words_and_charts_every_measured_target() {
    let dir = tempfile::tempdir().unwrap();
    let file = small_sweep(
        dir.path(),
        "sweep.toml",
        "replications = 3\n[grid]\n\"roster.handlers.constant\" = [12, 14, 16]\n",
    );
    let sw = dir.path().join("sw");
    sweep(&file, &sw, &[]).success();
    report(&sw);
    let html = std::fs::read_to_string(sw.join("report.html")).unwrap();
    assert!(
        html.contains("Sweep: call handlers, always on duty"),
        "title in words"
    );
    assert!(html.contains("call handlers, always on duty (roster.handlers.constant)"));
    let summary = html
        .find("Summary: where each pledge is kept")
        .expect("a summary page");
    assert!(summary < html.find("data-chart=\"sweep-t1\"").unwrap());
    assert!(html.contains("the lowest value of call handlers, always on duty that keeps it: "));
    // Every target sweep.csv measures has its chart.
    let csv = std::fs::read_to_string(sw.join("sweep.csv")).unwrap();
    for kpi in ["T1", "T2"] {
        assert!(csv.contains(&format!(",{kpi},")));
        assert!(
            html.contains(&format!("data-chart=\"sweep-{}\"", kpi.to_lowercase())),
            "{kpi}"
        );
    }
}

/// A sweep report names parameters and points as the sweep file does (`[labels]`, a point's
/// `label`), in the title, the charts and the table of every point, and a folder of an earlier
/// schema_version (parameter columns named by their paths, no labels) still reports.
#[test]
fn a_sweep_report_uses_the_planners_names_and_reads_older_folders() {
    let dir = tempfile::tempdir().unwrap();
    let file = small_sweep(
        dir.path(),
        "sweep.toml",
        "replications = 2\n[[points]]\nlabel = \"Today's roster\"\n\"roster.handlers.constant\" = 13\n[[points]]\nlabel = \"Two more <handlers>\"\n\"roster.handlers.constant\" = 15\n[labels]\n\"roster.handlers.constant\" = \"Handlers on every shift\"\n",
    );
    let sw = dir.path().join("sw");
    sweep(&file, &sw, &[]).success();
    report(&sw);
    let html = std::fs::read_to_string(sw.join("report.html")).unwrap();
    assert!(html.contains("Sweep: Handlers on every shift"), "title");
    assert!(html.contains("Handlers on every shift (roster.handlers.constant)"));
    assert!(
        !html.contains("call handlers, always on duty"),
        "the planner's name, not the path's"
    );
    let table = html.find("Every point").expect("a table of every point");
    for name in ["Today's roster", "Two more &lt;handlers&gt;"] {
        let at = html[table..]
            .find(name)
            .unwrap_or_else(|| panic!("{name} in the table"));
        assert!(at > 0);
    }
    let svg = html
        .split("data-chart=\"sweep-t1\"")
        .nth(1)
        .expect("a T1 chart");
    assert!(svg.contains("Handlers on every shift"), "the chart's axis");

    // The same folder as schema_version 4 wrote it: path columns, no labels.
    let m_path = sw.join("manifest.json");
    let mut m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&m_path).unwrap()).unwrap();
    let o = m.as_object_mut().unwrap();
    o.insert("schema_version".into(), 4.into());
    for k in ["parameter_columns", "parameter_labels", "point_labels"] {
        o.remove(k);
    }
    std::fs::write(&m_path, serde_json::to_vec_pretty(&m).unwrap()).unwrap();
    let csv = std::fs::read_to_string(sw.join("sweep.csv")).unwrap();
    std::fs::write(
        sw.join("sweep.csv"),
        csv.replacen("p_roster_handlers_constant", "roster.handlers.constant", 1),
    )
    .unwrap();
    std::fs::remove_file(sw.join("report.html")).unwrap();
    report(&sw);
    let html = std::fs::read_to_string(sw.join("report.html")).unwrap();
    assert!(
        html.contains("Sweep: call handlers, always on duty"),
        "older folder reported"
    );
    assert!(html.contains("point 1: call handlers, always on duty 15"));
}

/// compare.csv and compare.json give, for each figure of each option against the baseline, the
/// probability that the option is better on average, which agrees with the verdict (above
/// 97.5% exactly when "better", below 2.5% exactly when "worse"); the report says each
/// target's verdict in words with that probability; a folder of an earlier schema_version,
/// without the column, still reports.
#[test]
fn compare_gives_each_option_a_verdict_and_a_probability_better() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cmp = dir.path().join("cmp");
    pledgesim()
        .args(["compare", "--quiet", "-r", "4"])
        .arg(root.join("scenarios/small.toml"))
        .arg(root.join("scenarios/small-15.toml"))
        .arg("--out")
        .arg(&cmp)
        .assert()
        .success();
    let mut rdr = csv::Reader::from_path(cmp.join("compare.csv")).unwrap();
    let head = rdr.headers().unwrap().clone();
    let col = |n: &str| head.iter().position(|h| h == n).unwrap();
    let (p_col, v_col, b_col) = (col("prob_better"), col("verdict"), col("better_when"));
    let mut with_p = 0;
    for rec in rdr.records() {
        let rec = rec.unwrap();
        let (p, v) = (&rec[p_col], &rec[v_col]);
        if rec[b_col].is_empty() {
            assert_eq!(p, "", "no direction, no probability");
            continue;
        }
        let Ok(p) = p.parse::<f64>() else { continue };
        assert!((0.0..=1.0).contains(&p));
        assert_eq!(v == "better", p > 0.975, "{rec:?}");
        assert_eq!(v == "worse", p < 0.025, "{rec:?}");
        with_p += 1;
    }
    assert!(with_p > 10, "{with_p} rows with a probability");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(cmp.join("compare.json")).unwrap()).unwrap();
    let rows = json["comparisons"][0]["rows"].as_array().unwrap();
    assert!(rows.iter().any(|r| r["prob_better"].is_f64()));
    report(&cmp);
    let html = std::fs::read_to_string(cmp.join("report.html")).unwrap();
    assert!(html.contains("<th>probability better</th>"));
    let words = html
        .split("For each pledge,")
        .nth(1)
        .expect("the verdicts in words");
    let items = words.split("</ul>").next().unwrap();
    let n = items.matches("<li>").count();
    assert!(n >= 2, "{n} targets in words");
    assert_eq!(
        items.matches("is better on average: ").count(),
        n,
        "every target's probability"
    );
    assert!(
        !html.contains("not distinguishable from noise"),
        "the verdict in words"
    );

    // The same folder as schema_version 4 wrote it: no prob_better.
    let m_path = cmp.join("manifest.json");
    let mut m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&m_path).unwrap()).unwrap();
    m["schema_version"] = 4.into();
    std::fs::write(&m_path, serde_json::to_vec_pretty(&m).unwrap()).unwrap();
    let mut rdr = csv::Reader::from_path(cmp.join("compare.csv")).unwrap();
    let mut w = csv::Writer::from_writer(Vec::new());
    let keep = |r: &csv::StringRecord| -> Vec<String> {
        r.iter()
            .enumerate()
            .filter(|(i, _)| *i != p_col)
            .map(|(_, c)| c.to_string())
            .collect()
    };
    w.write_record(keep(&rdr.headers().unwrap().clone()))
        .unwrap();
    for rec in rdr.records() {
        w.write_record(keep(&rec.unwrap())).unwrap();
    }
    std::fs::write(cmp.join("compare.csv"), w.into_inner().unwrap()).unwrap();
    let s_path = cmp.join("compare.json");
    let mut s: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&s_path).unwrap()).unwrap();
    for c in s["comparisons"].as_array_mut().unwrap() {
        for r in c["rows"].as_array_mut().unwrap() {
            r.as_object_mut().unwrap().remove("prob_better");
        }
    }
    std::fs::write(&s_path, serde_json::to_vec_pretty(&s).unwrap()).unwrap();
    std::fs::remove_file(cmp.join("report.html")).unwrap();
    report(&cmp);
    let html = std::fs::read_to_string(cmp.join("report.html")).unwrap();
    assert!(html.contains("For each pledge,"), "older folder reported");
}

/// Building a report never runs the model: it reads the folder alone, so a run, a comparison
/// and a sweep whose scenario and sweep files are gone are reported all the same. (How long it
/// takes is measured by `cargo bench --bench report`.)
#[test]
fn a_report_is_built_from_the_folder_alone() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(
        dir.path(),
        "a.toml",
        common::read(&common::shipped("small.toml")),
    );
    let b = write(
        dir.path(),
        "b.toml",
        common::read(&common::shipped("small-15.toml")),
    );
    let sw = write(
        dir.path(),
        "sw.toml",
        "base = \"a.toml\"\nreplications = 2\n[grid]\n\"roster.handlers.constant\" = [12, 14]\n",
    );
    let out = |name: &str| dir.path().join(name);
    common::run_command(&a, &out("run"))
        .args(["-r", "2", "--quiet"])
        .assert()
        .success();
    pledgesim()
        .args(["compare", "--quiet", "-r", "2"])
        .arg(&a)
        .arg(&b)
        .arg("--out")
        .arg(out("cmp"))
        .assert()
        .success();
    sweep(&sw, &out("sweep"), &[]).success();
    for f in [&a, &b, &sw] {
        std::fs::remove_file(f).unwrap();
    }
    for name in ["run", "cmp", "sweep"] {
        report(&out(name));
        assert!(out(name).join("report.html").is_file(), "{name}");
    }
}
