//! Sharded sweeps: any split merges to the bytes of the unsharded sweep; merge refuses a
//! missing, repeated, unfinished or mismatched shard, each with its own message and exit code 2.

use crate::common;

use common::{pledgesim, read, small_sweep, sweep};
use std::path::{Path, PathBuf};

fn sweep_file(dir: &Path, name: &str, to: u32) -> PathBuf {
    small_sweep(
        dir,
        name,
        &format!(
            "replications = 3\n[grid]\n\"roster.handlers.constant\" = {{ from = 12, to = {to} }}\n\"run.seed\" = [1, 2]\n"
        ),
    )
}

fn run_shard(file: &Path, out: &Path, shard: Option<&str>) {
    match shard {
        Some(s) => sweep(file, out, &["--shard", s]),
        None => sweep(file, out, &[]),
    }
    .success();
}

fn merge(out: &Path, shards: &[PathBuf]) -> assert_cmd::assert::Assert {
    pledgesim()
        .arg("merge")
        .arg("--out")
        .arg(out)
        .args(shards)
        .assert()
}

#[test]
fn any_split_merges_to_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let file = sweep_file(dir.path(), "s.toml", 18); // 7 x 2 = 14 points
    let whole = dir.path().join("whole");
    run_shard(&file, &whole, None);
    for n in [1, 2, 3, 7] {
        let shards: Vec<PathBuf> = (0..n)
            .map(|k| {
                let d = dir.path().join(format!("n{n}-{k}"));
                run_shard(&file, &d, Some(&format!("{k}/{n}")));
                d
            })
            .collect();
        let merged = dir.path().join(format!("merged-{n}"));
        // The order the folders are given in does not matter.
        let mut given = shards.clone();
        given.reverse();
        merge(&merged, &given).success();
        for f in ["sweep.csv", "sweep.jsonl", "manifest.json"] {
            assert_eq!(
                read(&merged.join(f)),
                read(&whole.join(f)),
                "{f}, {n} shards"
            );
        }
    }
}

fn refused(out: &Path, shards: &[PathBuf], says: &str) {
    let a = merge(out, shards).code(2);
    let stderr = common::stderr(&a);
    assert!(stderr.contains(says), "expected \"{says}\" in: {stderr}");
    assert!(!out.exists(), "a merged folder was written");
}

#[test]
fn merge_refuses_bad_sets_of_shards() {
    let dir = tempfile::tempdir().unwrap();
    let file = sweep_file(dir.path(), "s.toml", 14);
    let other = sweep_file(dir.path(), "other.toml", 15);
    let d = |name: &str| dir.path().join(name);
    for k in 0..3 {
        run_shard(&file, &d(&format!("a{k}")), Some(&format!("{k}/3")));
    }
    run_shard(&other, &d("b1"), Some("1/3"));
    let out = d("out");
    refused(&out, &[d("a0"), d("a2")], "shard(s) 1/3 missing");
    refused(&out, &[d("a0"), d("a1"), d("a1"), d("a2")], "given twice");
    refused(
        &out,
        &[d("a0"), d("b1"), d("a2")],
        "a shard of a different sweep",
    );
    // A shard made by another program version.
    let old = d("old1");
    std::fs::create_dir(&old).unwrap();
    for f in ["sweep.csv", "sweep.jsonl"] {
        std::fs::copy(d("a1").join(f), old.join(f)).unwrap();
    }
    let m = common::read_text(&d("a1").join("manifest.json"));
    let version = format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION"));
    assert!(m.contains(&version), "{m}");
    std::fs::write(
        old.join("manifest.json"),
        m.replace(&version, "\"version\": \"0.0.1\""),
    )
    .unwrap();
    refused(&out, &[d("a0"), old, d("a2")], "made by pledgesim version");
    // A shard that did not finish.
    let cut = d("cut1");
    pledgesim()
        .args(["sweep", "--quiet", "--shard", "1/3"])
        .arg(&file)
        .arg("--out")
        .arg(&cut)
        .env("PLEDGESIM_ABORT_AFTER_POINTS", "1")
        .assert()
        .failure();
    refused(&out, &[d("a0"), cut.clone(), d("a2")], "did not finish");
    // Resumed, it merges.
    pledgesim()
        .args(["sweep", "--quiet", "--resume", "--shard", "1/3"])
        .arg(&file)
        .arg("--out")
        .arg(&cut)
        .assert()
        .success();
    merge(&out, &[d("a0"), cut, d("a2")]).success();
    // Not shards at all.
    refused(&d("out2"), &[d("out")], "a whole sweep, not a shard");
    refused(
        &d("out2"),
        &[dir.path().to_path_buf()],
        "no pledgesim manifest",
    );
    // A bad --shard.
    let a = pledgesim()
        .args(["sweep", "--shard", "3/3"])
        .arg(&file)
        .assert()
        .code(2);
    assert!(common::stderr(&a).contains("0 <= K < N"));
}
