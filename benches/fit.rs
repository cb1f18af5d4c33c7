//! Reading and fitting a call log: `cargo bench --bench fit` writes a log of a force's shape
//! (1,000,000 rows by default, a year of calls in Europe/London with both clock changes, every
//! column filled) and times `pledgesim fit` on it with scenarios/county-district.toml as the
//! base, printing seconds, rows a second and peak resident memory (the log's writing
//! included, which holds one row at a time). `-- --rows N` sets the number of rows.

use pledgesim::fit::{FitOptions, fit};
use rand::RngExt;
use std::io::Write;
use std::path::Path;
use std::time::Instant;

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.to_string())
        })
        .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}

/// A log of `rows` calls over a year from 2009-01-05, in local time with offsets only in the
/// hour the clocks go back.
fn write_log(path: &Path, rows: u64) {
    let tz = jiff::tz::TimeZone::get("Europe/London").unwrap();
    let wards = [
        "Town Centre",
        "Abbey Fields",
        "Castle Hill",
        "Station Road",
        "Eastgate",
        "Kingsmoor",
        "Hartley",
        "Westleigh",
    ];
    let grades = ["I", "S", "E", "R"];
    let categories = ["domestic_abuse", "other_crime", "non_crime"];
    let mut rng = pledgesim::rng::rng(1, 0);
    let start = tz
        .to_timestamp(jiff::civil::date(2009, 1, 5).at(0, 0, 0, 0))
        .unwrap();
    let gap_ms = 365 * 86_400_000 / rows as i64;
    let mut w = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(w, "id,arrival,channel,ward,grade,category,answered,abandoned,handling_end,created,dispatched,unit_arrived,cleared").unwrap();
    let stamp = |ms: i64| {
        let z = (start + jiff::SignedDuration::from_millis(ms)).to_zoned_datetime(tz.clone());
        let fold = z.month() == 10
            && z.day() >= 25
            && z.weekday() == jiff::civil::Weekday::Sunday
            && z.hour() == 1;
        if fold {
            z.strftime("%Y-%m-%dT%H:%M:%S%.3f%:z").to_string()
        } else {
            z.strftime("%Y-%m-%dT%H:%M:%S%.3f").to_string()
        }
    };
    for i in 0..rows {
        let t = i as i64 * gap_ms;
        let wait = rng.random_range(0..60_000i64);
        let abandoned = rng.random_range(0..10) == 0;
        let channel = if rng.random_range(0..4) == 0 {
            "999"
        } else {
            "non-emergency"
        };
        let g = rng.random_range(0..4usize);
        let (answered, hung_up) = if abandoned {
            (String::new(), stamp(t + wait))
        } else {
            (stamp(t + wait), String::new())
        };
        let handled = if abandoned {
            String::new()
        } else {
            stamp(t + wait + rng.random_range(30_000..900_000i64))
        };
        let field = !abandoned && g < 2;
        let times: Vec<String> = if field {
            let c = t + wait + rng.random_range(60_000..600_000i64);
            let d = c + rng.random_range(10_000..900_000i64);
            let a = d + rng.random_range(60_000..1_800_000i64);
            let e = a + rng.random_range(300_000..7_200_000i64);
            [c, d, a, e].iter().map(|x| stamp(*x)).collect()
        } else {
            vec![String::new(); 4]
        };
        writeln!(
            w,
            "{i},{},{channel},{},{},{},{answered},{hung_up},{handled},{}",
            stamp(t),
            wards[rng.random_range(0..wards.len())],
            grades[g],
            categories[rng.random_range(0..categories.len())],
            times.join(",")
        )
        .unwrap();
    }
    w.flush().unwrap();
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rows = args
        .iter()
        .position(|a| a == "--rows")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000u64);
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log.csv");
    write_log(&log, rows);
    let size = std::fs::metadata(&log).unwrap().len();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let started = Instant::now();
    fit(&FitOptions {
        log: log.clone(),
        base: root.join("scenarios/county-district.toml"),
        out: dir.path().join("fitted.toml"),
        mapping: None,
        from: None,
        to: None,
        patience_horizon: 600_000,
        bands: Default::default(),
    })
    .expect("the log fits");
    let secs = started.elapsed().as_secs_f64();
    println!(
        "fit: {rows} rows ({:.0} MB) in {secs:.2} s, {:.0} rows/s, peak memory {:.0} MB",
        size as f64 / 1e6,
        rows as f64 / secs,
        peak_rss_kib() as f64 / 1024.0
    );
}
