//! The error collector every part of validation shares, and the small validators they share.

use crate::error::{Error, InputError};
use crate::scenario::file::{DistFile, DutyFile};
use crate::scenario::locate::{self, FieldPath};
use crate::scenario::{Dist, Shift, Source};
use crate::time::{DAY, Duration};
use std::path::{Path, PathBuf};

/// How many problems of one scenario file are given their line and column.
pub(super) const MAX_LOCATED: usize = 100;

/// Collects problems while validating.
pub(super) struct Check<'a> {
    source: &'a Source,
    issues: Vec<(FieldPath, String)>,
    /// Errors located in other files (CSV files beside the scenario).
    external: Vec<InputError>,
}

impl<'a> Check<'a> {
    pub(super) fn new(source: &'a Source) -> Self {
        Check {
            source,
            issues: Vec::new(),
            external: Vec::new(),
        }
    }

    /// Every problem collected, each mapped to its line of `text`, in the order found (those in
    /// CSV files last); `Ok` when there are none.
    pub(super) fn finish(self, text: &str) -> Result<(), Error> {
        if self.issues.is_empty() && self.external.is_empty() {
            return Ok(());
        }
        let source = self.source;
        // Locating a problem reads the text; only the first MAX_LOCATED are located, so that
        // thousands of problems are reported in time linear in the file (the rest are named by
        // their field alone).
        let mut errors: Vec<InputError> = self
            .issues
            .into_iter()
            .enumerate()
            .map(|(i, (path, msg))| {
                let mut e = InputError::new(&source.label, path.to_string(), msg);
                if i < MAX_LOCATED {
                    if let Some(loc) = locate::locate(text, source.format, &path) {
                        e = e.at(loc.line, loc.column);
                    }
                }
                e
            })
            .collect();
        errors.extend(self.external);
        Err(Error::Input(errors))
    }
}

impl Check<'_> {
    pub(super) fn bad(&mut self, path: &FieldPath, msg: impl Into<String>) {
        self.issues.push((path.clone(), msg.into()));
    }

    /// Whether `v` is a probability (0 to 1), reporting it if not.
    pub(super) fn probability(&mut self, path: &FieldPath, v: f64) -> bool {
        let ok = v.is_finite() && (0.0..=1.0).contains(&v);
        if !ok {
            self.bad(path, format!("a probability must be from 0 to 1 (got {v})"));
        }
        ok
    }

    pub(super) fn positive(&mut self, path: &FieldPath, v: f64, what: &str) -> bool {
        if !(v.is_finite() && v > 0.0) {
            self.bad(
                path,
                format!("{what} must be a number greater than 0 (got {v})"),
            );
            return false;
        }
        true
    }

    pub(super) fn weights(&mut self, path: &FieldPath, w: &[f64], len: usize, what: &str) -> bool {
        if w.len() != len {
            self.bad(
                path,
                format!("{what} must have exactly {len} weights (got {})", w.len()),
            );
            return false;
        }
        let mut ok = true;
        for (i, x) in w.iter().enumerate() {
            if !(x.is_finite() && (0.0..=super::MAX_WEIGHT).contains(x)) {
                self.bad(
                    &path.index(i),
                    format!(
                        "a weight must be a number from 0 to 1e12 (got {})",
                        short(*x)
                    ),
                );
                ok = false;
            }
        }
        if ok && w.iter().sum::<f64>() <= 0.0 {
            self.bad(path, "at least one weight must be greater than 0");
            ok = false;
        }
        ok
    }

    pub(super) fn csv_path(&mut self, path: &FieldPath, name: &str) -> Option<PathBuf> {
        let Some(dir) = &self.source.dir else {
            self.bad(
                path,
                "the built-in scenario cannot read files; give the values inline",
            );
            return None;
        };
        if let Some(why) = crate::scenario::input::outside(dir, name) {
            self.bad(path, why);
            return None;
        }
        let p = dir.join(name);
        if !p.is_file() {
            self.bad(
                path,
                format!(
                    "the file \"{}\" does not exist (paths are relative to the scenario's folder)",
                    p.display()
                ),
            );
            return None;
        }
        Some(p)
    }

    /// Records an error located in another file (a CSV file beside the scenario).
    /// Where the problems found so far end, for [`Check::drop_since`].
    pub(super) fn mark(&self) -> usize {
        self.issues.len()
    }

    /// Drops the problems found since `mark` whose message matches (problems that only follow
    /// from one already reported).
    pub(super) fn drop_since(&mut self, mark: usize, follows: impl Fn(&str) -> bool) {
        let mut i = 0;
        self.issues.retain(|(_, m)| {
            i += 1;
            i <= mark || !follows(m)
        });
    }

    pub(super) fn external(&mut self, e: InputError) {
        self.external.push(e);
    }

    /// Whether any problem has been found in the scenario file itself.
    pub(super) fn has_issues(&self) -> bool {
        !self.issues.is_empty()
    }

    /// The problems so far, each as "path: message".
    #[cfg(test)]
    pub(super) fn messages(&self) -> Vec<String> {
        self.issues
            .iter()
            .map(|(p, m)| format!("{p}: {m}"))
            .collect()
    }
}

/// Rows written inline, then those read from a CSV file beside the scenario: each with the path
/// its errors are located at and, for a CSV row, a prefix naming the file and line there.
pub(super) fn inline_and_csv<T: Clone>(
    c: &mut Check,
    inline_path: &FieldPath,
    inline: &[T],
    file_path: &FieldPath,
    file: Option<&str>,
    read: impl Fn(&Path) -> Result<Vec<(u64, T)>, InputError>,
) -> Vec<(FieldPath, String, T)> {
    let mut all: Vec<(FieldPath, String, T)> = inline
        .iter()
        .enumerate()
        .map(|(i, s)| (inline_path.index(i), String::new(), s.clone()))
        .collect();
    if let Some(name) = file {
        if let Some(path) = c.csv_path(file_path, name) {
            match read(&path) {
                Ok(rows) => all.extend(
                    rows.into_iter()
                        .map(|(line, s)| (file_path.clone(), format!("{name} line {line}: "), s)),
                ),
                Err(e) => c.external(e),
            }
        }
    }
    all
}

/// A value named in the file, one of `options` (the first is the default when none is given).
pub(super) fn choice<T: Copy>(
    c: &mut Check,
    p: &FieldPath,
    given: Option<&str>,
    options: &[(&str, T)],
    what: &str,
) -> T {
    match given {
        None => options[0].1,
        Some(name) => options
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
            .unwrap_or_else(|| {
                let allowed: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
                c.bad(
                    p,
                    format!("unknown {what} \"{name}\"; allowed: {}", allowed.join(", ")),
                );
                options[0].1
            }),
    }
}

/// A distribution of durations, its parameters checked; None (reported) when it has errors.
pub(super) fn dist(c: &mut Check, p: &FieldPath, d: &DistFile) -> Option<Dist> {
    let nonzero = |c: &mut Check, field: &str, v: Duration| {
        if v.0 == 0 {
            c.bad(&p.key(field), format!("{field} must be greater than 0"));
            false
        } else {
            true
        }
    };
    match d {
        DistFile::Exponential(e) => {
            nonzero(c, "mean", e.mean).then_some(Dist::Exponential { mean: e.mean })
        }
        DistFile::Lognormal(m) | DistFile::Gamma(m) => {
            let ok = nonzero(c, "mean", m.mean) & nonzero(c, "sd", m.sd);
            ok.then_some(match d {
                DistFile::Lognormal(_) => Dist::Lognormal {
                    mean: m.mean,
                    sd: m.sd,
                },
                _ => Dist::Gamma {
                    mean: m.mean,
                    sd: m.sd,
                },
            })
        }
        DistFile::Deterministic(v) => Some(Dist::Deterministic { value: v.value }),
        DistFile::Empirical(e) => {
            let values = match (&e.values, &e.file) {
                (Some(v), None) => v.clone(),
                (None, Some(name)) => {
                    let path = c.csv_path(&p.key("file"), name)?;
                    match crate::scenario::csv::read_durations(
                        &path,
                        e.column.as_deref(),
                        e.unit.as_deref(),
                    ) {
                        Ok(v) => v,
                        Err(err) => {
                            c.external(err);
                            return None;
                        }
                    }
                }
                _ => {
                    c.bad(
                        p,
                        "an empirical distribution takes either `values` or `file`",
                    );
                    return None;
                }
            };
            if values.is_empty() {
                c.bad(p, "an empirical distribution needs at least one value");
                return None;
            }
            Some(Dist::Empirical { values })
        }
    }
}

const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// The days of the week something runs on: every day when `days` is left out.
pub(super) fn days(c: &mut Check, p: &FieldPath, d: Option<&[String]>) -> [bool; 7] {
    let Some(list) = d else { return [true; 7] };
    let mut out = [false; 7];
    for (i, name) in list.iter().enumerate() {
        match name.to_ascii_lowercase().as_str() {
            "all" => out = [true; 7],
            "weekdays" => out[..5].iter_mut().for_each(|x| *x = true),
            "weekend" => out[5..].iter_mut().for_each(|x| *x = true),
            n => match DAY_NAMES.iter().position(|d| *d == n) {
                Some(k) => out[k] = true,
                None => c.bad(&p.index(i), format!("unknown day \"{name}\"; allowed: mon, tue, wed, thu, fri, sat, sun, weekdays, weekend, all")),
            },
        }
    }
    if list.is_empty() {
        c.bad(
            p,
            "give at least one day (or leave `days` out for every day)",
        );
    }
    out
}

/// Names from a fixed list, as marks; `None` gives `default`.
pub(super) fn marks<const N: usize>(
    c: &mut Check,
    p: &FieldPath,
    given: Option<&[String]>,
    names: &[&str; N],
    default: [bool; N],
    what: &str,
) -> [bool; N] {
    let Some(list) = given else { return default };
    let mut out = [false; N];
    for (i, name) in list.iter().enumerate() {
        match names.iter().position(|n| n == name) {
            Some(k) => out[k] = true,
            None => c.bad(
                &p.index(i),
                format!("unknown {what} \"{name}\"; allowed: {}", names.join(", ")),
            ),
        }
    }
    if list.is_empty() {
        c.bad(p, format!("give at least one {what}"));
    }
    out
}

/// Shifts of a team member or a workgroup: each between 1 minute and 24 hours.
pub(super) fn duties(c: &mut Check, p: &FieldPath, list: &[DutyFile], counted: bool) -> Vec<Shift> {
    let mut out = Vec::new();
    for (i, d) in list.iter().enumerate() {
        let sp = p.index(i);
        if d.length.0 == 0 || d.length.0 > DAY {
            c.bad(
                &sp.key("length"),
                format!(
                    "a shift's length must be more than 0 and at most 24h (got {})",
                    d.length
                ),
            );
        }
        let count = match (counted, d.count) {
            (false, Some(_)) => {
                c.bad(
                    &sp.key("count"),
                    "a team member's shifts have no count: give the member's `count` instead",
                );
                1
            }
            (_, None) => 1,
            (true, Some(n)) if !(1..=100_000).contains(&n) => {
                c.bad(
                    &sp.key("count"),
                    format!("must be a whole number from 1 to 100000 (got {n})"),
                );
                1
            }
            (true, Some(n)) => n as u32,
        };
        out.push(Shift {
            name: format!("shift {}", i + 1),
            start: d.start,
            length: d.length,
            days: days(c, &sp.key("days"), d.days.as_deref()),
            count,
            dedicated_999: 0,
            breaks: Vec::new(),
        });
    }
    out
}

/// The time on duty a week of these shifts, in milliseconds.
pub(super) fn weekly_ms(shifts: &[Shift]) -> u64 {
    shifts
        .iter()
        .map(|s| s.length.0 * s.days.iter().filter(|d| **d).count() as u64)
        .sum()
}

/// What the parts' tests share: a source, and scenario text parsed into its raw file.
#[cfg(test)]
pub(super) mod testing {
    use crate::scenario::file::ScenarioFile;
    use crate::scenario::{Format, Source};

    pub(crate) fn source() -> Source {
        Source {
            label: "test.toml".into(),
            dir: None,
            format: Format::Toml,
        }
    }

    pub(crate) fn file(text: &str) -> ScenarioFile {
        crate::scenario::parse_file(text, &source()).expect("the test's TOML parses")
    }
}

/// A number as people read it: in scientific notation when it is huge (1e308, not 309
/// digits).
pub(crate) fn short(x: f64) -> String {
    if x.is_finite() && x.abs() >= 1e15 {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::file::{EmpiricalFile, ExponentialFile, MeanSdFile};
    use crate::time::{HOUR, MINUTE, TimeOfDay};

    fn x() -> FieldPath {
        FieldPath::root().key("x")
    }

    #[test]
    fn a_zero_mean_names_its_field() {
        let s = testing::source();
        let mut c = Check::new(&s);
        let d = DistFile::Exponential(ExponentialFile { mean: Duration(0) });
        assert!(dist(&mut c, &x(), &d).is_none());
        assert_eq!(c.messages(), ["x.mean: mean must be greater than 0"]);
    }

    #[test]
    fn a_zero_mean_and_a_zero_sd_are_both_reported_in_order() {
        let s = testing::source();
        let mut c = Check::new(&s);
        let d = DistFile::Lognormal(MeanSdFile {
            mean: Duration(0),
            sd: Duration(0),
        });
        assert!(dist(&mut c, &x(), &d).is_none());
        assert_eq!(
            c.messages(),
            [
                "x.mean: mean must be greater than 0",
                "x.sd: sd must be greater than 0"
            ]
        );
    }

    #[test]
    fn a_good_distribution_passes_unchanged() {
        let s = testing::source();
        let mut c = Check::new(&s);
        let d = DistFile::Gamma(MeanSdFile {
            mean: Duration(4 * MINUTE),
            sd: Duration(3 * MINUTE),
        });
        assert!(matches!(
            dist(&mut c, &x(), &d),
            Some(Dist::Gamma { mean, sd }) if mean.0 == 4 * MINUTE && sd.0 == 3 * MINUTE
        ));
        assert!(!c.has_issues());
    }

    #[test]
    fn an_empirical_distribution_needs_one_source_and_a_value() {
        let s = testing::source();
        let mut c = Check::new(&s);
        let none = DistFile::Empirical(EmpiricalFile {
            values: None,
            file: None,
            column: None,
            unit: None,
        });
        let empty = DistFile::Empirical(EmpiricalFile {
            values: Some(Vec::new()),
            file: None,
            column: None,
            unit: None,
        });
        assert!(dist(&mut c, &x(), &none).is_none());
        assert!(dist(&mut c, &x(), &empty).is_none());
        assert_eq!(
            c.messages(),
            [
                "x: an empirical distribution takes either `values` or `file`",
                "x: an empirical distribution needs at least one value"
            ]
        );
    }

    #[test]
    fn the_built_in_scenario_cannot_read_files() {
        let s = testing::source();
        let mut c = Check::new(&s);
        assert!(c.csv_path(&x(), "profile.csv").is_none());
        assert_eq!(
            c.messages(),
            ["x: the built-in scenario cannot read files; give the values inline"]
        );
    }

    #[test]
    fn days_read_names_and_groups_and_report_each_unknown_day() {
        let s = testing::source();
        let mut c = Check::new(&s);
        let list = |v: &[&str]| v.iter().map(|d| d.to_string()).collect::<Vec<_>>();
        assert_eq!(days(&mut c, &x(), None), [true; 7]);
        assert_eq!(
            days(&mut c, &x(), Some(&list(&["weekend", "Mon"]))),
            [true, false, false, false, false, true, true]
        );
        assert_eq!(
            days(&mut c, &x(), Some(&list(&["weekdays"]))),
            [true, true, true, true, true, false, false]
        );
        assert!(!c.has_issues());
        days(&mut c, &x(), Some(&list(&["mon", "funday", "someday"])));
        days(&mut c, &x(), Some(&[]));
        assert_eq!(
            c.messages(),
            [
                "x[1]: unknown day \"funday\"; allowed: mon, tue, wed, thu, fri, sat, sun, weekdays, weekend, all",
                "x[2]: unknown day \"someday\"; allowed: mon, tue, wed, thu, fri, sat, sun, weekdays, weekend, all",
                "x: give at least one day (or leave `days` out for every day)",
            ]
        );
    }

    #[test]
    fn weights_need_their_length_no_negatives_and_some_weight() {
        let s = testing::source();
        let mut c = Check::new(&s);
        assert!(c.weights(&x(), &[1.0, 0.0, 2.0], 3, "daily"));
        assert!(!c.weights(&x(), &[1.0], 3, "daily"));
        assert!(!c.weights(&x(), &[1.0, -1.0, f64::NAN], 3, "daily"));
        assert!(!c.weights(&x(), &[0.0, 0.0, 0.0], 3, "daily"));
        assert_eq!(
            c.messages(),
            [
                "x: daily must have exactly 3 weights (got 1)",
                "x[1]: a weight must be a number from 0 to 1e12 (got -1)",
                "x[2]: a weight must be a number from 0 to 1e12 (got NaN)",
                "x: at least one weight must be greater than 0",
            ]
        );
    }

    #[test]
    fn a_choice_defaults_to_the_first_and_names_the_allowed() {
        let s = testing::source();
        let mut c = Check::new(&s);
        let options = [("priority", 1), ("fcfs", 2)];
        assert_eq!(choice(&mut c, &x(), None, &options, "discipline"), 1);
        assert_eq!(
            choice(&mut c, &x(), Some("fcfs"), &options, "discipline"),
            2
        );
        assert_eq!(
            choice(&mut c, &x(), Some("lifo"), &options, "discipline"),
            1
        );
        assert_eq!(
            c.messages(),
            ["x: unknown discipline \"lifo\"; allowed: priority, fcfs"]
        );
    }

    #[test]
    fn a_team_members_shift_has_no_count_and_a_bad_length_is_named() {
        let s = testing::source();
        let mut c = Check::new(&s);
        let duty = |length: u64, count: Option<i64>| DutyFile {
            start: TimeOfDay(8 * HOUR),
            length: Duration(length),
            days: None,
            count,
        };
        let member = duties(
            &mut c,
            &x(),
            &[duty(0, Some(2)), duty(8 * HOUR, None)],
            false,
        );
        assert_eq!(member.len(), 2);
        assert_eq!(member[1].name, "shift 2");
        assert_eq!(weekly_ms(&member), 7 * 8 * HOUR);
        let group = duties(&mut c, &x(), &[duty(25 * HOUR, Some(0))], true);
        assert_eq!(group[0].count, 1);
        assert_eq!(
            c.messages(),
            [
                "x[0].length: a shift's length must be more than 0 and at most 24h (got 0s)",
                "x[0].count: a team member's shifts have no count: give the member's `count` instead",
                "x[0].length: a shift's length must be more than 0 and at most 24h (got 25h)",
                "x[0].count: must be a whole number from 1 to 100000 (got 0)",
            ]
        );
    }

    #[test]
    fn marks_report_unknown_names_and_an_empty_list() {
        let s = testing::source();
        let mut c = Check::new(&s);
        let names = ["I", "S"];
        assert_eq!(
            marks(&mut c, &x(), None, &names, [true, false], "grade"),
            [true, false]
        );
        let given = ["S".to_string(), "Q".to_string()];
        assert_eq!(
            marks(&mut c, &x(), Some(&given), &names, [true, false], "grade"),
            [false, true]
        );
        marks(&mut c, &x(), Some(&[]), &names, [true, false], "grade");
        assert_eq!(
            c.messages(),
            [
                "x[1]: unknown grade \"Q\"; allowed: I, S",
                "x: give at least one grade"
            ]
        );
    }

    #[test]
    fn finish_locates_each_error_and_keeps_their_order() {
        let s = testing::source();
        let text = "[run]\nhorizon = \"1min\"\nreplications = 0\n";
        let mut c = Check::new(&s);
        assert!(Check::new(&s).finish(text).is_ok());
        let run = FieldPath::root().key("run");
        c.bad(&run.key("replications"), "second in the file, first found");
        c.bad(&run.key("horizon"), "first in the file");
        let Err(Error::Input(errors)) = c.finish(text) else {
            panic!("two errors were collected");
        };
        let got: Vec<_> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.line, e.message.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "run.replications",
                    Some(3),
                    "second in the file, first found"
                ),
                ("run.horizon", Some(2), "first in the file"),
            ]
        );
    }
}
