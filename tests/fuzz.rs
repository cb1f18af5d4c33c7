//! Bad input never panics: every shipped scenario, mutated thousands of ways by a seeded
//! generator (lines deleted or duplicated, numbers set to 0, -1, huge, tiny, nan or inf,
//! strings swapped, durations stripped of their units), is either rejected with errors or, when
//! it is still valid, runs a short replication without panicking.

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
