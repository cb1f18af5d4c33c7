//! The sweep file: reading and checking it, and the points of its grid or list.
//!
//! ```toml
//! base = "small.toml"            # relative to the sweep file
//! replications = 20              # optional: every point's replications (default: the base's)
//! seed = 1                       # optional: every point's master seed (default: the base's)
//! [grid]                         # every combination; parameters vary in the order of their
//! "roster.handlers.constant" = { from = 12, to = 16 }          # paths, the last fastest
//! "contact_centre.discipline" = ["priority", "fcfs"]
//! ```
//! or `[[points]]` tables, each a set of overrides (a parameter a point leaves out keeps the
//! base's value) with an optional `label`, the point's name. An optional `[labels]` table names
//! parameters in the planner's words: `"roster.handlers.constant" = "Call handlers on duty"`.

use crate::error::{Error, InputError};
use crate::scenario::overrides::{self, Step};
use crate::scenario::{Format, Scenario, Source};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The most points a sweep may have.
pub const MAX_POINTS: usize = 1_000_000;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SweepFile {
    base: String,
    name: Option<String>,
    replications: Option<i64>,
    seed: Option<u64>,
    #[serde(default)]
    grid: BTreeMap<String, toml::Value>,
    #[serde(default)]
    points: Vec<BTreeMap<String, toml::Value>>,
    #[serde(default)]
    labels: BTreeMap<String, String>,
}

/// The key of a `[[points]]` table that names the point rather than a field.
const POINT_LABEL: &str = "label";

/// The points of a sweep: a grid (every combination) or an explicit list.
#[derive(Clone, Debug)]
enum Points {
    Grid(Vec<Vec<Value>>),
    List(Vec<Vec<Option<Value>>>),
}

/// A validated sweep: its base scenario, parameters and points.
pub struct Sweep {
    pub name: String,
    /// The sweep file's name and its `base` as written: what manifests record.
    pub manifest_source: String,
    pub manifest_base: String,
    pub label: String,
    pub base_label: String,
    base_text: String,
    base_source: Source,
    base_tree: Value,
    /// The parameters' paths, as written.
    pub parameters: Vec<String>,
    /// Each parameter's name in the planner's words, from the file's `[labels]` (None: none).
    pub parameter_labels: Vec<Option<String>>,
    /// Each point's name from its `label`, for `[[points]]` (empty for a grid).
    pub point_labels: Vec<Option<String>>,
    paths: Vec<Vec<Step>>,
    points: Points,
    pub replications: Option<u32>,
    pub seed: Option<u64>,
    /// The master seed every point runs from, for the manifest: the sweep's, else the base
    /// scenario's (also when `run.seed` is itself a parameter, and points set their own).
    pub master_seed: u64,
    /// What a resumed sweep must match: the sweep file, the base scenario and the program.
    pub hash: String,
    /// The points whose call handlers are overloaded with callers who never hang up (see
    /// [`crate::experiment::warnings::handler_overload`]), in order.
    overloaded: Vec<usize>,
    /// Each point's scenario hash, worked out once while the points are checked (empty before).
    point_hashes: Vec<String>,
}

fn toml_to_json(v: &toml::Value) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// A parameter value as a table cell: strings bare, everything else as JSON.
pub fn cell(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl Sweep {
    /// Reads a sweep file and its base scenario, and checks every point's scenario.
    pub fn load(path: &Path) -> Result<Sweep, Error> {
        Sweep::load_showing(path, false)
    }

    /// [`Sweep::load`], showing on stderr (on a terminal, when `progress`) a count of the
    /// points as they are checked.
    pub fn load_showing(path: &Path, progress: bool) -> Result<Sweep, Error> {
        let label = path.display().to_string();
        let text =
            crate::scenario::input::read_text(path, crate::scenario::input::MAX_SCENARIO_BYTES)
                .map_err(|e| {
                    InputError::new(&label, "", format!("cannot read the sweep file: {e}"))
                })?;
        let bad = |field: &str, msg: String| -> Error {
            let mut e = InputError::new(&label, field, msg);
            if let Some((line, col)) = find_key(&text, field) {
                e = e.at(line, col);
            }
            e.into()
        };
        let f: SweepFile = crate::scenario::input::from_toml(&text, &label)?;
        let dir = path.parent().map_or(PathBuf::from("."), |p| {
            if p.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                p.to_path_buf()
            }
        });
        if let Some(why) = crate::scenario::input::outside(&dir, &f.base) {
            return Err(bad("base", why));
        }
        let base_path = dir.join(&f.base);
        let base_label = base_path.display().to_string();
        let base_text = crate::scenario::input::read_text(
            &base_path,
            crate::scenario::input::MAX_SCENARIO_BYTES,
        )
        .map_err(|e| {
            bad(
                "base",
                format!("cannot read the base scenario \"{base_label}\": {e}"),
            )
        })?;
        let format = if base_path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        {
            Format::Json
        } else {
            Format::Toml
        };
        let base_source = Source {
            label: base_label.clone(),
            dir: base_path.parent().map(Path::to_path_buf),
            format,
        };
        let base_tree = overrides::tree(&base_text, &base_source)?;
        let replications = match f.replications {
            None => None,
            Some(r) if (1..=crate::scenario::MAX_REPLICATIONS).contains(&r) => Some(r as u32),
            Some(r) => {
                return Err(bad(
                    "replications",
                    format!(
                        "must be a whole number from 1 to {} (got {r})",
                        crate::scenario::MAX_REPLICATIONS
                    ),
                ));
            }
        };
        let (parameters, points) = match (f.grid.is_empty(), f.points.is_empty()) {
            (false, false) => {
                return Err(bad(
                    "grid",
                    "give either [grid] or [[points]], not both".into(),
                ));
            }
            (true, true) => {
                return Err(bad(
                    "",
                    "give the points to run: a [grid] of parameters, or [[points]]".into(),
                ));
            }
            (false, true) => {
                let mut lists = Vec::new();
                let mut count: usize = 1;
                for (p, v) in &f.grid {
                    let values = grid_values(v).map_err(|m| bad(p, m))?;
                    count = count.saturating_mul(values.len());
                    lists.push(values);
                }
                if count > MAX_POINTS {
                    return Err(bad(
                        "grid",
                        format!("{count} points is more than {MAX_POINTS}: split the sweep"),
                    ));
                }
                (
                    f.grid.keys().cloned().collect::<Vec<_>>(),
                    Points::Grid(lists),
                )
            }
            (true, false) => {
                let mut names: Vec<String> = f
                    .points
                    .iter()
                    .flat_map(|p| p.keys().cloned())
                    .filter(|k| k != POINT_LABEL)
                    .collect();
                names.sort();
                names.dedup();
                let list = f
                    .points
                    .iter()
                    .map(|p| names.iter().map(|n| p.get(n).map(toml_to_json)).collect())
                    .collect();
                (names, Points::List(list))
            }
        };
        let mut point_labels = Vec::new();
        for (k, point) in f.points.iter().enumerate() {
            point_labels.push(match point.get(POINT_LABEL) {
                None => None,
                Some(toml::Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
                Some(_) => {
                    return Err(bad(
                        POINT_LABEL,
                        format!("point {k}: `label` names the point: give it as words in quotes, such as label = \"Two more night handlers\""),
                    ));
                }
            });
        }
        for (path, words) in &f.labels {
            if !parameters.contains(path) {
                return Err(bad(
                    path,
                    format!(
                        "[labels] names \"{path}\", which the sweep does not vary (it varies {})",
                        parameters.join(", ")
                    ),
                ));
            }
            if words.trim().is_empty() {
                return Err(bad(path, format!("the label of \"{path}\" is empty")));
            }
        }
        let parameter_labels = parameters
            .iter()
            .map(|p| f.labels.get(p).map(|l| l.trim().to_string()))
            .collect();
        let mut paths = Vec::new();
        for p in &parameters {
            let steps = overrides::parse_path(p).map_err(|m| bad(p, m))?;
            if let Some(m) = overrides::unknown_key(&base_tree, &steps) {
                return Err(bad(p, format!("\"{p}\": {m}")));
            }
            paths.push(steps);
            for (own, field) in [
                (f.seed.is_some(), "run.seed"),
                (replications.is_some(), "run.replications"),
            ] {
                if own && p == field {
                    return Err(bad(
                        p,
                        format!(
                            "the sweep sets `{}` for every point, so it cannot also vary \"{field}\": give one or the other",
                            field.trim_start_matches("run.")
                        ),
                    ));
                }
            }
        }
        let hash = {
            use sha2::Digest;
            let mut h = sha2::Sha256::new();
            for part in [
                text.as_bytes(),
                base_text.as_bytes(),
                env!("CARGO_PKG_VERSION").as_bytes(),
            ] {
                h.update((part.len() as u64).to_le_bytes());
                h.update(part);
            }
            h.finalize().iter().map(|b| format!("{b:02x}")).collect()
        };
        // Manifests record the files by the names the sweep file gives them, so that shards run
        // from different folders (or with different paths) record the same.
        let label_in_manifest = path
            .file_name()
            .map_or(label.clone(), |n| n.to_string_lossy().into_owned());
        let sweep = Sweep {
            manifest_source: label_in_manifest,
            manifest_base: f.base.clone(),
            name: f.name.clone().unwrap_or_else(|| {
                path.file_stem()
                    .map_or("sweep".into(), |s| s.to_string_lossy().into_owned())
            }),
            label,
            base_label,
            base_text,
            base_source,
            base_tree,
            parameters,
            parameter_labels,
            point_labels,
            paths,
            points,
            replications,
            seed: f.seed,
            master_seed: 0,
            hash,
            overloaded: Vec::new(),
            point_hashes: Vec::new(),
        };
        let mut sweep = sweep;
        sweep.hash = sweep.check_points(progress)?;
        sweep.master_seed = match sweep.seed {
            Some(s) => s,
            None if sweep.parameters.iter().any(|p| p == "run.seed") => {
                match Scenario::parse_with(
                    &sweep.base_text,
                    &sweep.base_source,
                    &sweep.base_tree,
                    &[],
                ) {
                    Ok(sc) => sc.run.seed,
                    Err(_) => sweep.scenario(0)?.run.seed,
                }
            }
            None => sweep.scenario(0)?.run.seed,
        };
        Ok(sweep)
    }

    pub fn len(&self) -> usize {
        match &self.points {
            Points::Grid(lists) => lists.iter().map(Vec::len).product(),
            Points::List(l) => l.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Point `k`'s value of each parameter (None: the base's).
    pub fn values(&self, k: usize) -> Vec<Option<Value>> {
        match &self.points {
            Points::Grid(lists) => {
                let mut out = vec![None; lists.len()];
                let mut rest = k;
                for (i, list) in lists.iter().enumerate().rev() {
                    out[i] = Some(list[rest % list.len()].clone());
                    rest /= list.len();
                }
                out
            }
            Points::List(l) => l[k].clone(),
        }
    }

    /// Point `k`'s scenario, with the sweep's seed and replications.
    pub fn scenario(&self, k: usize) -> Result<Scenario, Error> {
        let overrides: Vec<(Vec<Step>, Value)> = self
            .values(k)
            .into_iter()
            .zip(&self.paths)
            .filter_map(|(v, p)| v.map(|v| (p.clone(), v)))
            .collect();
        let mut sc = Scenario::parse_with(
            &self.base_text,
            &self.base_source,
            &self.base_tree,
            &overrides,
        )?;
        if let Some(r) = self.replications {
            sc.run.replications = r;
        }
        if let Some(s) = self.seed {
            sc.run.seed = s;
        }
        Ok(sc)
    }

    /// Refuses a sweep with points whose call handlers are overloaded with callers who never
    /// hang up (unless told `--allow-overload`), naming the first five and counting the rest.
    pub fn refuse_overload(&self) -> Result<(), Error> {
        let mut errors = Vec::new();
        for &k in self.overloaded.iter().take(5) {
            let label = format!("{} (sweep point {k}: {})", self.label, self.describe(k));
            if let Err(Error::Input(e)) =
                crate::experiment::warnings::refuse_overload(&self.scenario(k)?, &label)
            {
                errors.extend(e);
            }
        }
        if self.overloaded.len() > 5 {
            errors.push(InputError::new(
                &self.label,
                "",
                format!(
                    "and {} more points are overloaded",
                    self.overloaded.len() - 5
                ),
            ));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Error::Input(errors))
        }
    }

    /// "a = 1, b = fcfs": point `k`'s parameters, for messages.
    pub fn describe(&self, k: usize) -> String {
        self.parameters
            .iter()
            .zip(self.values(k))
            .filter_map(|(p, v)| v.map(|v| format!("{p} = {}", cell(&v))))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Point `k`'s scenario hash, as [`Scenario::hash`] of [`Sweep::scenario`] gives it, kept
    /// from the check of every point (None before it, or when a point failed it).
    pub fn point_hash(&self, k: usize) -> Option<&str> {
        (self.point_hashes.len() == self.len()).then(|| self.point_hashes[k].as_str())
    }

    /// Validates every point before anything runs, reporting the first failing points; gives
    /// the sweep's hash: the sweep file, the base scenario, the program version and every
    /// point's resolved scenario (so that files the base reads, such as a wards CSV, count too).
    fn check_points(&mut self, progress: bool) -> Result<String, Error> {
        use sha2::Digest;
        let mut hash = sha2::Sha256::new();
        hash.update(self.hash.as_bytes());
        let mut errors = Vec::new();
        let mut failing = 0;
        if self.is_empty() {
            return Err(InputError::new(&self.label, "", "the sweep has no points").into());
        }
        let bar =
            crate::experiment::progress_bar(self.len() as u64, progress, "checking sweep points");
        let mut hasher = super::hash::PointHasher::default();
        for k in 0..self.len() {
            bar.inc(1);
            let point = self.scenario(k);
            if let Ok(sc) = &point {
                let h = hasher.hash(sc);
                hash.update(h.as_bytes());
                self.point_hashes.push(h);
                if crate::experiment::warnings::handler_overload(sc).is_some() {
                    self.overloaded.push(k);
                }
            }
            if let Err(Error::Input(list)) = point {
                failing += 1;
                if failing <= 5 {
                    for mut e in list {
                        e.message = format!(
                            "{} (sweep point {k}: {}; sweep file {})",
                            e.message,
                            self.describe(k),
                            self.label
                        );
                        errors.push(e);
                    }
                }
            }
        }
        bar.finish_and_clear();
        if failing > 5 {
            errors.push(InputError::new(
                &self.label,
                "",
                format!("and {} more points fail", failing - 5),
            ));
        }
        if errors.is_empty() {
            Ok(hash.finalize().iter().map(|b| format!("{b:02x}")).collect())
        } else {
            Err(Error::Input(errors))
        }
    }
}

/// The values of one grid parameter: a list, a range `{ from, to, step }`, or one value.
fn grid_values(v: &toml::Value) -> Result<Vec<Value>, String> {
    match v {
        toml::Value::Array(a) => {
            if a.is_empty() {
                return Err("give at least one value".into());
            }
            Ok(a.iter().map(toml_to_json).collect())
        }
        toml::Value::Table(t) if t.contains_key("from") || t.contains_key("to") => {
            for k in t.keys() {
                if !matches!(k.as_str(), "from" | "to" | "step") {
                    return Err(format!(
                        "unknown key \"{k}\" in a range; a range is {{ from = ..., to = ..., step = ... }}"
                    ));
                }
            }
            let get = |k: &str| t.get(k);
            let (Some(from), Some(to)) = (get("from"), get("to")) else {
                return Err("a range needs both `from` and `to`".into());
            };
            let step = get("step");
            match (from, to, step) {
                (
                    toml::Value::Integer(a),
                    toml::Value::Integer(b),
                    None | Some(toml::Value::Integer(_)),
                ) => {
                    let s = step.and_then(|s| s.as_integer()).unwrap_or(1);
                    if s <= 0 {
                        return Err(format!("step must be more than 0 (got {s})"));
                    }
                    if b < a {
                        return Err(format!("`to` ({b}) is below `from` ({a})"));
                    }
                    let n = (i128::from(*b) - i128::from(*a)) / i128::from(s) + 1;
                    if n > MAX_POINTS as i128 {
                        return Err(format!("{n} values is more than {MAX_POINTS}"));
                    }
                    Ok((0..n as i64).map(|i| Value::from(a + i * s)).collect())
                }
                _ => {
                    let f = |v: Option<&toml::Value>| match v {
                        Some(toml::Value::Integer(i)) => Some(*i as f64),
                        Some(toml::Value::Float(x)) => Some(*x),
                        _ => None,
                    };
                    let (Some(a), Some(b)) = (f(Some(from)), f(Some(to))) else {
                        return Err("a range's `from` and `to` must be numbers".into());
                    };
                    let Some(s) = f(step) else {
                        return Err("a range of decimals needs a `step`".into());
                    };
                    if !(s > 0.0 && s.is_finite() && a.is_finite() && b.is_finite()) || b < a {
                        return Err(format!(
                            "a range needs from <= to and step > 0 (got from {a}, to {b}, step {s})"
                        ));
                    }
                    let count = ((b - a) / s + 1e-9).floor() + 1.0;
                    if !(count.is_finite() && count <= MAX_POINTS as f64) {
                        return Err(format!("more than {MAX_POINTS} values: use a larger step"));
                    }
                    let n = count as usize;
                    // Each value from the start (no accumulated rounding), rounded to 12 digits.
                    Ok((0..n)
                        .map(|i| {
                            let x = a + i as f64 * s;
                            Value::from((x * 1e12).round() / 1e12)
                        })
                        .collect())
                }
            }
        }
        other => Ok(vec![toml_to_json(other)]),
    }
}

/// The line and column of a top-level or [grid] key in the sweep file, for messages.
fn find_key(text: &str, key: &str) -> Option<(usize, usize)> {
    if key.is_empty() {
        return None;
    }
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        let k = t.split('=').next().unwrap_or("").trim().trim_matches('"');
        if k == key && t.contains('=') {
            return Some((i + 1, line.len() - t.len() + 1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hashes kept from the check are those of the points' scenarios.
    #[test]
    fn kept_point_hashes_are_the_scenarios_own() {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/sweeps/small-handlers.toml");
        let sweep = Sweep::load(&path).unwrap();
        assert_eq!(sweep.len(), 100);
        for k in [0, 1, 37, 99] {
            let sc = sweep.scenario(k).unwrap();
            assert_eq!(sweep.point_hash(k), Some(sc.hash().as_str()), "point {k}");
        }
        assert_ne!(sweep.point_hash(0), sweep.point_hash(1));
        // Points whose values differ late in the scenario's JSON (officers, neighbourhood).
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios/sweeps/response-neighbourhood.toml");
        let sweep = Sweep::load(&path).unwrap();
        for k in 0..sweep.len() {
            let sc = sweep.scenario(k).unwrap();
            assert_eq!(sweep.point_hash(k), Some(sc.hash().as_str()), "point {k}");
        }
    }
}
