//! Bad input never panics: every shipped scenario, mutated thousands of ways by a seeded
//! generator (lines deleted or duplicated, numbers set to 0, -1, huge, tiny, nan or inf,
//! strings swapped, durations stripped of their units), is either rejected with errors or, when
//! it is still valid, runs a short replication without panicking. Output folders tampered with
//! (a line cut or repeated, a number or a key replaced, a file cut short) are given to `report`
//! and `merge`, which must refuse them with exit code 2 or read them, never panic. Sweep files
//! and the CSV files beside scenarios, mutated the same ways, go through `sweep`, `validate` and
//! `run`: exit code 0 or 2, never a panic, and no NaN or infinity in what they write. A longer
//! run: `PLEDGESIM_FUZZ_ROUNDS=2000 cargo test --release --test suite fuzz::`.

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
/// `PLEDGESIM_FUZZ_ROUNDS=2000 cargo test --release --test suite fuzz::` (the longer run).
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

/// Asserts that no file of the output folder `out` holds a NaN or an infinity.
fn no_nan(out: &Path, what: &str) {
    for e in std::fs::read_dir(out).unwrap() {
        let p = e.unwrap().path();
        let text = match std::fs::read_to_string(&p) {
            Ok(t) => t,
            Err(_) => continue,
        };
        let bad = text
            .split(|c: char| c.is_whitespace() || ",:;[]{}\"'".contains(c))
            .find(|t| {
                matches!(
                    t.to_ascii_lowercase().as_str(),
                    "nan" | "-nan" | "inf" | "-inf" | "infinity" | "-infinity"
                )
            });
        assert!(bad.is_none(), "{what}: {} holds {bad:?}", p.display());
    }
}

/// A sweep of the small scenario small enough to run in a moment, as a grid and as a list.
const SWEEPS: [&str; 2] = [
    "name = \"fuzz-grid\"\nbase = \"small.toml\"\nreplications = 1\nseed = 3\n\n[grid]\n\"roster.handlers.constant\" = [13, 14]\n\"demand.non_emergency.calls_per_week\" = { from = 18000, to = 19000, step = 1000 }\n",
    "name = \"fuzz-list\"\nbase = \"small.toml\"\nreplications = 2\n\n[[points]]\n\"roster.handlers.constant\" = 12\n\"run.horizon\" = \"2d\"\n\n[[points]]\n\"demand.emergency.patience.mean\" = \"3min\"\n",
];

#[test]
fn mutated_sweep_and_csv_files_never_panic_nor_write_nan() {
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let dir = tempfile::tempdir().unwrap();
    // The scenarios with CSV files beside them, made short: a few days of one replication.
    let short = |text: String, horizon: &str, warm_up: &str| -> String {
        text.lines()
            .map(|l| {
                if l.starts_with("horizon =") {
                    format!("horizon = \"{horizon}\"")
                } else if l.starts_with("warm_up =") {
                    format!("warm_up = \"{warm_up}\"")
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let read = |name: &str| std::fs::read_to_string(shipped.join(name)).unwrap();
    std::fs::write(dir.path().join("small.toml"), read("small.toml")).unwrap();
    let with_csv = [
        (
            "county-csv-profile.toml",
            "county-999-profile.csv",
            "3d",
            "1d",
        ),
        (
            "county-district.toml",
            "county-district-wards.csv",
            "4d",
            "1d",
        ),
    ];
    for (scenario, _, horizon, warm_up) in with_csv {
        std::fs::write(
            dir.path().join(scenario),
            short(read(scenario), horizon, warm_up),
        )
        .unwrap();
    }
    for (k, text) in SWEEPS.iter().enumerate() {
        let file = dir.path().join(format!("unmutated{k}.toml"));
        std::fs::write(&file, text).unwrap();
        if let Err(e) = pledgesim::experiment::sweep::Sweep::load(&file) {
            panic!("the sweep to mutate is valid: {e}");
        }
    }
    let mut rng = rand::rngs::ChaCha8Rng::seed_from_u64(20260124);
    let (mut refused, mut ran) = (0, 0);
    for round in 0..rounds(16) {
        // A mutated sweep file: loaded in the library (no panic), and through `sweep` when it
        // is still small.
        let original = SWEEPS[round % SWEEPS.len()];
        let text = if rng.random_range(0..2) == 0 {
            mutate(original, &mut rng)
        } else {
            tamper(original, &mut rng)
        };
        let file = dir.path().join(format!("sweep{round}.toml"));
        std::fs::write(&file, &text).unwrap();
        let loaded = std::panic::catch_unwind(|| pledgesim::experiment::sweep::Sweep::load(&file))
            .unwrap_or_else(|_| panic!("loading a mutated sweep file panicked:\n{text}"));
        let small = loaded.as_ref().is_ok_and(|s| {
            s.len() <= 6
                && s.scenario(0)
                    .is_ok_and(|sc| sc.run.replications <= 3 && sc.run.horizon.0 <= 7 * 86_400_000)
        });
        if loaded.is_err() || small {
            let out = dir.path().join(format!("sweep-out{round}"));
            let what = format!("sweep of a mutated sweep file:\n{text}\n");
            match documented_exit(
                bin()
                    .args(["sweep", "--quiet", "--allow-overload"])
                    .arg(&file)
                    .arg("--out")
                    .arg(&out),
                &what,
            ) {
                0 => {
                    no_nan(&out, &what);
                    ran += 1;
                }
                _ => refused += 1,
            }
        }

        // A mutated CSV file beside a scenario: through `validate`, then `run` when valid.
        let (scenario, csv, _, _) = with_csv[round % with_csv.len()];
        let text = tamper(&read(csv), &mut rng);
        std::fs::write(dir.path().join(csv), &text).unwrap();
        let file = dir.path().join(scenario);
        let what = format!("{scenario} with a mutated {csv}:\n{text}\n");
        if documented_exit(bin().arg("validate").arg(&file), &what) == 2 {
            refused += 1;
            continue;
        }
        let out = dir.path().join(format!("run-out{round}"));
        match documented_exit(
            bin()
                .arg("run")
                .arg(&file)
                .args(["-r", "1", "--quiet", "--allow-overload", "--out"])
                .arg(&out),
            &what,
        ) {
            0 => {
                no_nan(&out, &what);
                ran += 1;
            }
            _ => refused += 1,
        }
    }
    eprintln!("{refused} mutated sweep and CSV files refused, {ran} ran");
    assert!(
        refused > 0 && ran > 0,
        "both paths: {refused} refused, {ran} ran"
    );
}
