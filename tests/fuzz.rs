//! Bad input never panics: every shipped scenario, mutated thousands of ways by a seeded
//! generator (lines deleted or duplicated, numbers set to 0, -1, huge, tiny, nan or inf,
//! strings swapped, durations stripped of their units), is either rejected with errors or, when
//! it is still valid, runs a short replication without panicking. Output folders tampered with
//! (a line cut or repeated, a number or a key replaced, a file cut short) are given to `report`
//! and `merge`, which must refuse them with exit code 2 or read them, never panic. A longer run:
//! `PLEDGESIM_FUZZ_ROUNDS=2000 cargo test --release --test fuzz`.

use pledgesim::scenario::{Format, Scenario, Source};
use rand::{RngExt, SeedableRng};
use std::path::Path;

/// Mutations per shipped scenario.
const MUTATIONS: usize = 300;

const NUMBERS: [&str; 10] = [
    "0",
    "-1",
    "1e308",
    "1e-300",
    "nan",
    "inf",
    "-inf",
    "0.5",
    "1000000000",
    "3",
];
const STRINGS: [&str; 8] = [
    "\"\"",
    "\"0s\"",
    "\"-5min\"",
    "\"99:99\"",
    "\"x\"",
    "\"1e400h\"",
    "\"25h\"",
    "\"0.0001ms\"",
];

fn mutate(text: &str, rng: &mut rand::rngs::ChaCha8Rng) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for _ in 0..rng.random_range(1..4) {
        if lines.is_empty() {
            break;
        }
        let i = rng.random_range(0..lines.len());
        match rng.random_range(0..5) {
            0 => {
                lines.remove(i);
            }
            1 => {
                let l = lines[i].clone();
                lines.insert(i, l);
            }
            2 => {
                // Replace the first number on the line.
                let l = &lines[i];
                if let Some(start) = l.find(|c: char| c.is_ascii_digit()) {
                    let end = l[start..]
                        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                        .map_or(l.len(), |e| start + e);
                    let n = NUMBERS[rng.random_range(0..NUMBERS.len())];
                    lines[i] = format!("{}{}{}", &l[..start], n, &l[end..]);
                }
            }
            3 => {
                // Replace the first quoted string on the line.
                let l = &lines[i];
                if let Some(a) = l.find('"') {
                    if let Some(b) = l[a + 1..].find('"') {
                        let s = STRINGS[rng.random_range(0..STRINGS.len())];
                        lines[i] = format!("{}{}{}", &l[..a], s, &l[a + b + 2..]);
                    }
                }
            }
            _ => {
                // Strip a unit: "15min" -> "15".
                lines[i] = lines[i].replace("min\"", "\"").replace("h\"", "\"");
            }
        }
    }
    lines.join("\n")
}

#[test]
fn mutated_scenarios_are_rejected_or_run_but_never_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    let mut rng = rand::rngs::ChaCha8Rng::seed_from_u64(20091005);
    let (mut rejected, mut ran) = (0, 0);
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let source = Source {
            label: path.display().to_string(),
            dir: Some(dir.clone()),
            format: Format::Toml,
        };
        for _ in 0..MUTATIONS {
            let mutated = mutate(&text, &mut rng);
            let result = std::panic::catch_unwind(|| Scenario::parse(&mutated, &source));
            let parsed = result.unwrap_or_else(|_| {
                panic!(
                    "validation panicked on a mutation of {}:\n{mutated}",
                    path.display()
                )
            });
            match parsed {
                Err(e) => {
                    assert!(!e.to_string().is_empty());
                    rejected += 1;
                }
                Ok(mut sc) => {
                    // A short replication of whatever is still valid.
                    sc.run.horizon = pledgesim::time::Duration(
                        sc.run
                            .horizon
                            .0
                            .min(2 * 86_400_000)
                            .max(sc.run.warm_up.0 + 3_600_000),
                    );
                    sc.run.drain_limit =
                        pledgesim::time::Duration(sc.run.drain_limit.0.min(86_400_000));
                    let run =
                        std::panic::catch_unwind(|| pledgesim::experiment::run_replication(&sc, 0));
                    assert!(
                        run.is_ok(),
                        "a valid mutation of {} panicked when run:\n{mutated}",
                        path.display()
                    );
                    ran += 1;
                }
            }
        }
    }
    eprintln!("{rejected} mutations rejected, {ran} ran");
    assert!(
        rejected > 100 && ran > 100,
        "the mutations should exercise both paths ({rejected} rejected, {ran} ran)"
    );
}

/// Rounds of tampering per test: a few dozen in `cargo test`; more with
/// `PLEDGESIM_FUZZ_ROUNDS=2000 cargo test --release --test fuzz` (the longer run).
fn rounds(default: usize) -> usize {
    std::env::var("PLEDGESIM_FUZZ_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

const TAMPERED: [&str; 10] = [
    "",
    "1e308",
    "-1",
    "NaN",
    "1000000000000",
    "\"x\"",
    "null",
    "=HYPERLINK(\"x\")",
    "{\"count\": 1000000000000}",
    "\u{ff}",
];

/// `text` changed one seeded way: a line cut, repeated or emptied, a number or a word replaced,
/// or the file cut short.
fn tamper(text: &str, rng: &mut rand::rngs::ChaCha8Rng) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    if lines.is_empty() {
        return TAMPERED[rng.random_range(0..TAMPERED.len())].to_string();
    }
    let i = rng.random_range(0..lines.len());
    let with = TAMPERED[rng.random_range(0..TAMPERED.len())];
    match rng.random_range(0..5) {
        0 => {
            lines.remove(i);
        }
        1 => {
            let l = lines[i].clone();
            lines.insert(i, l);
        }
        2 => {
            let l = &lines[i];
            if let Some(start) = l.find(|c: char| c.is_ascii_digit()) {
                let end = l[start..]
                    .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                    .map_or(l.len(), |e| start + e);
                lines[i] = format!("{}{}{}", &l[..start], with, &l[end..]);
            }
        }
        3 => {
            // A word (a key, a column name) replaced.
            let l = &lines[i];
            if let Some(start) = l.find(|c: char| c.is_ascii_alphabetic()) {
                let end = l[start..]
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .map_or(l.len(), |e| start + e);
                lines[i] = format!("{}{}{}", &l[..start], with, &l[end..]);
            }
        }
        _ => lines.truncate(i),
    }
    lines.join("\n")
}

/// Copies the files of `from` (not its folders) into a new folder `to`.
fn copy_files(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
        }
    }
}

/// The exit code, asserting the command did not panic or abort and used a documented code.
fn documented_exit(cmd: &mut std::process::Command, what: &str) -> i32 {
    let o = cmd.output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    let code = o.status.code();
    assert!(
        matches!(code, Some(0 | 2)) && !err.contains("panicked"),
        "{what}: exit {code:?}, stderr: {err}"
    );
    code.unwrap()
}

fn bin() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_pledgesim"))
}

#[test]
fn tampered_output_folders_never_panic_report_or_merge() {
    let dir = tempfile::tempdir().unwrap();
    let small = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/small.toml");
    let run = dir.path().join("run");
    let ok = bin()
        .arg("run")
        .arg(&small)
        .args(["-r", "2", "--quiet", "--out"])
        .arg(&run)
        .output()
        .unwrap();
    assert!(ok.status.success());
    let sweep = dir.path().join("sweep.toml");
    std::fs::write(
        &sweep,
        format!(
            "base = {:?}\nreplications = 1\n[grid]\n\"roster.handlers.constant\" = [13, 14, 15]\n",
            small.display().to_string()
        ),
    )
    .unwrap();
    let shards: Vec<_> = (0..2)
        .map(|k| {
            let out = dir.path().join(format!("shard-{k}"));
            let ok = bin()
                .args(["sweep", "--quiet"])
                .arg(&sweep)
                .args(["--shard", &format!("{k}/2"), "--out"])
                .arg(&out)
                .output()
                .unwrap();
            assert!(ok.status.success());
            out
        })
        .collect();

    let mut rng = rand::rngs::ChaCha8Rng::seed_from_u64(20240124);
    let (mut refused, mut accepted) = (0, 0);
    for round in 0..rounds(24) {
        // A run folder with one file tampered with, through report.
        let copy = dir.path().join(format!("r{round}"));
        copy_files(&run, &copy);
        let mut names: Vec<_> = std::fs::read_dir(&copy)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        names.sort();
        let victim = &names[rng.random_range(0..names.len())];
        let text = String::from_utf8_lossy(&std::fs::read(victim).unwrap()).into_owned();
        std::fs::write(victim, tamper(&text, &mut rng)).unwrap();
        let what = format!("report of a run folder with {} tampered", victim.display());
        match documented_exit(bin().arg("report").arg(&copy).arg("--no-pdf"), &what) {
            0 => accepted += 1,
            _ => refused += 1,
        }
        let _ = std::fs::remove_dir_all(&copy);

        // A shard with one file tampered with, through merge.
        let k = rng.random_range(0..2);
        let copies: Vec<_> = shards
            .iter()
            .enumerate()
            .map(|(j, s)| {
                let c = dir.path().join(format!("m{round}-{j}"));
                copy_files(s, &c);
                c
            })
            .collect();
        let file = ["manifest.json", "sweep.csv", "sweep.jsonl"][rng.random_range(0..3)];
        let victim = copies[k].join(file);
        let text = std::fs::read_to_string(&victim).unwrap();
        std::fs::write(&victim, tamper(&text, &mut rng)).unwrap();
        let merged = dir.path().join(format!("merged{round}"));
        let what = format!("merge with shard {k}'s {file} tampered");
        match documented_exit(
            bin().arg("merge").arg("--out").arg(&merged).args(&copies),
            &what,
        ) {
            0 => accepted += 1,
            _ => refused += 1,
        }
    }
    eprintln!("{refused} tampered folders refused, {accepted} accepted");
    assert!(refused > 0, "the tampering should be noticed at least once");
}
