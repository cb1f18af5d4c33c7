//! Merge cannot be made to abort: a shard folder changed by hand (a count of 10^12, a missing
//! key, a value of the wrong kind, a NaN, a renamed CSV column) is refused with exit code 2 and
//! a message naming the file and the field, never a panic or an allocation of what the file says.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn pledgesim() -> Command {
    Command::cargo_bin("pledgesim").unwrap()
}

/// Three finished shards of a sweep of six points, in `dir`/a0, a1 and a2.
fn shards(dir: &Path) -> Vec<PathBuf> {
    let small = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/small.toml");
    let file = dir.join("s.toml");
    std::fs::write(
        &file,
        format!(
            "base = {:?}\nreplications = 2\n[grid]\n\"roster.handlers.constant\" = {{ from = 12, to = 14 }}\n\"run.seed\" = [1, 2]\n",
            small.display().to_string()
        ),
    )
    .unwrap();
    (0..3)
        .map(|k| {
            let out = dir.join(format!("a{k}"));
            pledgesim()
                .args(["sweep", "--quiet", "--shard", &format!("{k}/3")])
                .arg(&file)
                .arg("--out")
                .arg(&out)
                .assert()
                .success();
            out
        })
        .collect()
}

/// A copy of the shards, for one case to change by hand.
fn copy(shards: &[PathBuf], to: &Path) -> Vec<PathBuf> {
    shards
        .iter()
        .map(|s| {
            let d = to.join(s.file_name().unwrap());
            std::fs::create_dir_all(&d).unwrap();
            for f in ["manifest.json", "sweep.csv", "sweep.jsonl"] {
                std::fs::copy(s.join(f), d.join(f)).unwrap();
            }
            d
        })
        .collect()
}

fn manifest(dir: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap()
}

fn set_manifest(dir: &Path, m: &Value) {
    std::fs::write(
        dir.join("manifest.json"),
        serde_json::to_vec_pretty(m).unwrap(),
    )
    .unwrap();
}

/// Merging `shards` fails with exit code 2, no panic and no folder written, and stderr says
/// each of `says`.
fn refused(shards: &[PathBuf], out: &Path, says: &[&str]) {
    let a = pledgesim()
        .arg("merge")
        .arg("--out")
        .arg(out)
        .args(shards)
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .code(2);
    let stderr = String::from_utf8(a.get_output().stderr.clone()).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    for s in says {
        assert!(stderr.contains(s), "expected \"{s}\" in: {stderr}");
    }
    assert!(!out.exists(), "a merged folder was written");
}

#[test]
fn hand_edited_shards_are_refused_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let good = shards(dir.path());
    let case = |name: &str| -> (Vec<PathBuf>, PathBuf) {
        let d = dir.path().join(name);
        (copy(&good, &d), d.join("out"))
    };

    // The unchanged shards merge.
    let (s, out) = case("unchanged");
    pledgesim()
        .arg("merge")
        .arg("--out")
        .arg(&out)
        .args(&s)
        .assert()
        .success();

    // A count of 10^12 in every shard (so that they agree): no 16 TB table.
    let (s, out) = case("count");
    for d in &s {
        let mut m = manifest(d);
        m["shard"]["count"] = Value::from(1_000_000_000_000u64);
        set_manifest(d, &m);
    }
    refused(
        &s,
        &out,
        &[
            "a0/manifest.json",
            "field `shard.count`",
            "from 1 to 1000000 (got 1000000000000)",
        ],
    );

    // A sweep of 10^12 points.
    let (s, out) = case("points");
    for d in &s {
        let mut m = manifest(d);
        m["points"] = Value::from(1_000_000_000_000u64);
        set_manifest(d, &m);
    }
    refused(
        &s,
        &out,
        &["manifest.json", "field `points`", "1000000000000"],
    );

    // A missing key.
    let (s, out) = case("missing");
    let mut m = manifest(&s[1]);
    m["shard"].as_object_mut().unwrap().remove("index");
    set_manifest(&s[1], &m);
    refused(
        &s,
        &out,
        &["a1/manifest.json", "field `shard.index`", "is missing"],
    );
    let (s, out) = case("no-parameters");
    let mut m = manifest(&s[2]);
    m.as_object_mut().unwrap().remove("parameters");
    set_manifest(&s[2], &m);
    refused(
        &s,
        &out,
        &["a2/manifest.json", "field `parameters`", "is missing"],
    );

    // A value of the wrong kind.
    let (s, out) = case("kind");
    let mut m = manifest(&s[0]);
    m["shard"]["count"] = Value::from("3");
    set_manifest(&s[0], &m);
    refused(
        &s,
        &out,
        &["a0/manifest.json", "field `shard.count`", "whole number"],
    );
    let (s, out) = case("kind-float");
    for d in &s {
        let mut m = manifest(d);
        m["shard"]["count"] = Value::from(3.5);
        set_manifest(d, &m);
    }
    refused(&s, &out, &["field `shard.count`", "(got 3.5)"]);

    // A NaN (not JSON at all): the file, line and column.
    let (s, out) = case("nan");
    let text = std::fs::read_to_string(s[1].join("manifest.json")).unwrap();
    assert!(text.contains("\"count\": 3"), "{text}");
    std::fs::write(
        s[1].join("manifest.json"),
        text.replace("\"count\": 3", "\"count\": NaN"),
    )
    .unwrap();
    let line = text
        .lines()
        .position(|l| l.contains("\"count\": 3"))
        .unwrap()
        + 1;
    refused(
        &s,
        &out,
        &[&format!("a1/manifest.json:{line}:"), "is not JSON"],
    );
    // A NaN where a record's csv_end should be.
    let (s, out) = case("nan-jsonl");
    let text = std::fs::read_to_string(s[2].join("sweep.jsonl")).unwrap();
    let first = text.lines().next().unwrap();
    let at = first.find("\"csv_end\":").unwrap() + "\"csv_end\":".len();
    let digits = first[at..].bytes().take_while(u8::is_ascii_digit).count();
    std::fs::write(
        s[2].join("sweep.jsonl"),
        text.replacen(&first[at - 10..at + digits], "\"csv_end\":NaN", 1),
    )
    .unwrap();
    refused(&s, &out, &["a2/sweep.jsonl:1:", "damaged"]);
    // A csv_end past the end of sweep.csv.
    let (s, out) = case("csv-end");
    let text = std::fs::read_to_string(s[2].join("sweep.jsonl")).unwrap();
    std::fs::write(
        s[2].join("sweep.jsonl"),
        text.replacen(&first[at - 10..at + digits], "\"csv_end\":1000000000000", 1),
    )
    .unwrap();
    refused(&s, &out, &["a2", "do not agree"]);

    // A renamed CSV column.
    let (s, out) = case("header");
    let csv = std::fs::read_to_string(s[1].join("sweep.csv")).unwrap();
    let (head, rows) = csv.split_once('\n').unwrap();
    assert!(head.contains(",kpi,"), "{head}");
    std::fs::write(
        s[1].join("sweep.csv"),
        format!("{}\n{rows}", head.replace(",kpi,", ",KPI,")),
    )
    .unwrap();
    refused(
        &s,
        &out,
        &["a1/sweep.csv", "field `kpi`", "column 4 is \"KPI\""],
    );
    // A row moved to another point.
    let (s, out) = case("rows");
    let csv = std::fs::read_to_string(s[0].join("sweep.csv")).unwrap();
    let (head, rows) = csv.split_once('\n').unwrap();
    assert!(rows.starts_with("0,"), "{rows}");
    std::fs::write(s[0].join("sweep.csv"), format!("{head}\n9{}", &rows[1..])).unwrap();
    refused(&s, &out, &["a0/sweep.csv", "field `point`", "point 0"]);
}

/// Replaces the first `from` in the file at `path` by `to`.
fn with_replaced(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from} not in {text}");
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn a_written_shard_reads_back_as_written() {
    use pledgesim::output::contract::{Kind, ShardRef, SweepManifest, SweepRecord};
    let dir = tempfile::tempdir().unwrap();
    let s = shards(dir.path());
    let bytes = std::fs::read(s[1].join("manifest.json")).unwrap();
    let m: SweepManifest = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(m.kind, Kind::Sweep);
    assert_eq!(m.shard, Some(ShardRef { index: 1, count: 3 }));
    assert!(m.complete);
    assert_eq!(m.points, 6);
    assert_eq!(m.replications, Some(2));
    assert_eq!(
        m.parameters,
        ["roster.handlers.constant", "run.seed"].map(String::from)
    );
    // Written back as the writer writes (through a Value: keys in order), it is the same bytes.
    let mut again = serde_json::to_vec_pretty(&serde_json::to_value(&m).unwrap()).unwrap();
    again.push(b'\n');
    assert_eq!(
        String::from_utf8(again).unwrap(),
        String::from_utf8(bytes).unwrap()
    );

    // Each record reads back, its rows ending where the next point's begin.
    let csv = std::fs::read_to_string(s[1].join("sweep.csv")).unwrap();
    let mut at = csv.find('\n').unwrap() + 1;
    let jsonl = std::fs::read_to_string(s[1].join("sweep.jsonl")).unwrap();
    let records: Vec<SweepRecord> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.iter().map(|r| r.point).collect::<Vec<_>>(), [1, 4]);
    for r in &records {
        let end = r.csv_end as usize;
        let rows: Vec<&str> = csv[at..end].lines().collect();
        assert_eq!(rows.len(), r.rows.len(), "point {}", r.point);
        assert!(rows.iter().all(|l| l.starts_with(&format!("{},", r.point))));
        assert!(r.parameters.keys().all(|k| m.parameters.contains(k)));
        assert_eq!(r.replications, 2);
        at = end;
    }
    assert_eq!(at, csv.len());

    // Merged, the manifest is the shards' with no shard.
    let out = dir.path().join("merged");
    pledgesim()
        .arg("merge")
        .arg("--out")
        .arg(&out)
        .args(&s)
        .assert()
        .success();
    let merged: SweepManifest =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(merged, SweepManifest { shard: None, ..m });
}

#[test]
fn keys_of_the_wrong_kind_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let good = shards(dir.path());
    let case = |name: &str| -> (Vec<PathBuf>, PathBuf) {
        let d = dir.path().join(name);
        (copy(&good, &d), d.join("out"))
    };

    let (s, out) = case("parameters");
    let mut m = manifest(&s[0]);
    m["parameters"][1] = Value::from(7);
    set_manifest(&s[0], &m);
    refused(
        &s,
        &out,
        &[
            "a0/manifest.json",
            "field `parameters`",
            "list of field paths",
        ],
    );

    let (s, out) = case("hash");
    let mut m = manifest(&s[2]);
    m["sweep_hash"] = Value::from(7);
    set_manifest(&s[2], &m);
    refused(&s, &out, &["a2/manifest.json", "field `sweep_hash`"]);

    let (s, out) = case("no-complete");
    let mut m = manifest(&s[1]);
    m.as_object_mut().unwrap().remove("complete");
    set_manifest(&s[1], &m);
    refused(
        &s,
        &out,
        &["a1/manifest.json", "field `complete`", "is missing"],
    );

    // A record with no point, and one whose figure is text.
    let (s, out) = case("no-point");
    with_replaced(&s[1].join("sweep.jsonl"), "\"point\":1,", "");
    refused(
        &s,
        &out,
        &["a1/sweep.jsonl:1:", "field `point`", "is missing"],
    );
    let (s, out) = case("text-mean");
    let text = std::fs::read_to_string(s[2].join("sweep.jsonl")).unwrap();
    let second = text.lines().nth(1).unwrap();
    let at = second.find("\"mean\":").unwrap() + "\"mean\":".len();
    let len = second[at..].find(',').unwrap();
    with_replaced(
        &s[2].join("sweep.jsonl"),
        &second[at - 7..at + len],
        "\"mean\":\"high\"",
    );
    refused(
        &s,
        &out,
        &["a2/sweep.jsonl:2:", "field `rows[0].mean`", "expected f64"],
    );
}
