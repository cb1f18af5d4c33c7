//! The observed file of `calibrate`: the force's published figures, each naming a summary.json
//! row, and the parameters to fit with their bounds.
//!
//! ```toml
//! [[observed]]
//! kpi = "T1"
//! scope = "channel"
//! scope_value = "999"
//! clock = "call"
//! statistic = "share_within"
//! value = 0.87
//! se = 0.005
//!
//! [fit]
//! "demand.non_emergency.patience.mean" = { from = "2min", to = "20min" }
//!
//! [method]          # optional
//! start_points = 10 # the Latin hypercube's points (default 4 a parameter, at least 8)
//! evaluations = 40  # the most Nelder-Mead steps of each refinement (default 20 a parameter, at least 30)
//! replications = 10 # replications of every point (default: the scenario's)
//! final_replications = 40 # near the optimum (default: four times `replications`)
//! seed = 1          # the master seed of every point (default: the scenario's)
//! ```

use super::{Calibration, Figure, Method, Param, Unit};
use crate::error::{Error, InputError};
use crate::scenario::overrides;
use crate::scenario::{Format, Scenario, Source};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ObservedFile {
    #[serde(default)]
    observed: Vec<Spanned<ObservedRow>>,
    #[serde(default)]
    fit: BTreeMap<String, Spanned<BoundsFile>>,
    method: Option<Spanned<MethodFile>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ObservedRow {
    kpi: String,
    scope: Option<String>,
    scope_value: Option<String>,
    clock: Option<String>,
    statistic: String,
    value: f64,
    se: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BoundsFile {
    from: toml::Value,
    to: toml::Value,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MethodFile {
    start_points: Option<i64>,
    evaluations: Option<i64>,
    replications: Option<i64>,
    final_replications: Option<i64>,
    seed: Option<u64>,
}

/// The most parameters a calibration may fit.
pub const MAX_PARAMETERS: usize = 8;

/// A bound as a number: milliseconds for a duration (written with its unit), the number itself
/// otherwise.
fn bound(v: &toml::Value) -> Result<(f64, Unit), String> {
    match v {
        toml::Value::String(s) => s
            .parse::<crate::time::Duration>()
            .map(|d| (d.ms() as f64, Unit::Duration)),
        toml::Value::Integer(i) => Ok((*i as f64, Unit::Number)),
        toml::Value::Float(f) if f.is_finite() => Ok((*f, Unit::Number)),
        _ => Err(format!(
            "a bound is a number, or a duration with its unit such as \"2min\" (got {v})"
        )),
    }
}

impl Calibration {
    /// Reads the scenario and the observed file, and checks everything that can be checked
    /// before a simulation: every error at once.
    pub fn load(scenario: &Path, observed: &Path) -> Result<Calibration, Error> {
        let label = observed.display().to_string();
        let text =
            crate::scenario::input::read_text(observed, crate::scenario::input::MAX_SCENARIO_BYTES)
                .map_err(|e| {
                    InputError::new(&label, "", format!("cannot read the observed file: {e}"))
                })?;
        let at = |e: InputError, span: std::ops::Range<usize>| -> InputError {
            let (line, col) = crate::scenario::locate::line_col(&text, span.start);
            e.at(line, col)
        };
        let f: ObservedFile = crate::scenario::input::from_toml(&text, &label)?;
        let mut errors = Vec::new();
        // The base scenario.
        let base_label = scenario.display().to_string();
        let base_text =
            crate::scenario::input::read_text(scenario, crate::scenario::input::MAX_SCENARIO_BYTES)
                .map_err(|e| {
                    InputError::new(&base_label, "", format!("cannot read the scenario: {e}"))
                })?;
        let base_source = Source {
            label: base_label.clone(),
            dir: scenario.parent().map(Path::to_path_buf),
            format: if scenario
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("json"))
            {
                Format::Json
            } else {
                Format::Toml
            },
        };
        let base = Scenario::parse(&base_text, &base_source)?;
        let base_tree = overrides::tree(&base_text, &base_source)?;

        // The observed figures.
        if f.observed.is_empty() {
            errors.push(InputError::new(
                &label,
                "observed",
                "give at least one [[observed]] figure: kpi, scope, scope_value, clock, statistic (as in summary.json), value and se",
            ));
        }
        let mut figures = Vec::new();
        for (k, row) in f.observed.iter().enumerate() {
            let span = row.span();
            let r = row.get_ref();
            let field = format!("observed[{k}]");
            if !(r.value.is_finite()) {
                errors.push(at(
                    InputError::new(&label, &field, "`value` must be a finite number"),
                    span.clone(),
                ));
            }
            if !(r.se.is_finite() && r.se > 0.0) {
                errors.push(at(
                    InputError::new(
                        &label,
                        &field,
                        format!(
                            "`se` is the observed figure's standard error: a number above 0 (got {})",
                            r.se
                        ),
                    ),
                    span.clone(),
                ));
            }
            let fig = Figure {
                kpi: r.kpi.clone(),
                scope: r.scope.clone().unwrap_or_default(),
                scope_value: r.scope_value.clone().unwrap_or_default(),
                clock: r.clock.clone().unwrap_or_default(),
                statistic: r.statistic.clone(),
                value: r.value,
                se: r.se,
                line: crate::scenario::locate::line_col(&text, span.start).0,
            };
            if figures.iter().any(|g: &Figure| g.same_row(&fig)) {
                errors.push(at(
                    InputError::new(
                        &label,
                        &field,
                        format!("{} is observed twice: give each figure once", fig.label()),
                    ),
                    span,
                ));
                continue;
            }
            figures.push(fig);
        }

        // The parameters.
        if f.fit.is_empty() {
            errors.push(InputError::new(
                &label,
                "fit",
                "give the parameters to fit in [fit], each a field path with its bounds, such as \"demand.non_emergency.patience.mean\" = { from = \"2min\", to = \"20min\" }",
            ));
        }
        if f.fit.len() > MAX_PARAMETERS {
            errors.push(InputError::new(
                &label,
                "fit",
                format!(
                    "{} parameters is more than {MAX_PARAMETERS}: fit fewer at a time",
                    f.fit.len()
                ),
            ));
        }
        let mut params = Vec::new();
        for (path, b) in &f.fit {
            let span = b.span();
            let field = format!("fit.\"{path}\"");
            let err = |m: String| at(InputError::new(&label, &field, m), span.clone());
            let steps = match overrides::parse_path(path) {
                Ok(s) => s,
                Err(m) => {
                    errors.push(err(m));
                    continue;
                }
            };
            if let Some(m) = overrides::unknown_key(&base_tree, &steps) {
                errors.push(err(format!("\"{path}\": {m}")));
                continue;
            }
            let b = b.get_ref();
            match (bound(&b.from), bound(&b.to)) {
                (Ok((from, u1)), Ok((to, u2))) => {
                    if u1 != u2 {
                        errors.push(err(
                            "`from` and `to` must both be durations with units (\"2min\") or both plain numbers".into(),
                        ));
                    } else if from >= to {
                        errors.push(err(format!(
                            "`from` must be below `to` (got {} and {})",
                            b.from, b.to
                        )));
                    } else {
                        params.push(Param {
                            path: path.clone(),
                            steps,
                            from,
                            to,
                            unit: u1,
                        });
                    }
                }
                (a, c) => {
                    for (which, r) in [("from", a), ("to", c)] {
                        if let Err(m) = r {
                            errors.push(err(format!("`{which}`: {m}")));
                        }
                    }
                }
            }
        }

        // The method.
        let d = params.len().max(1);
        let mut method = Method {
            start_points: (4 * d).max(8),
            evaluations: (20 * d).max(30),
            replications: base.run.replications,
            final_replications: 0,
            seed: base.run.seed,
        };
        if let Some(m) = &f.method {
            let span = m.span();
            let m = m.get_ref();
            let mut count = |name: &str, v: Option<i64>, lo: i64, hi: i64| -> Option<usize> {
                let v = v?;
                if (lo..=hi).contains(&v) {
                    Some(v as usize)
                } else {
                    errors.push(at(
                        InputError::new(
                            &label,
                            format!("method.{name}"),
                            format!("must be a whole number from {lo} to {hi} (got {v})"),
                        ),
                        span.clone(),
                    ));
                    None
                }
            };
            let max_reps = i64::from(crate::scenario::MAX_REPLICATIONS as u32);
            if let Some(n) = count("start_points", m.start_points, 2, 1000) {
                method.start_points = n;
            }
            if let Some(n) = count("evaluations", m.evaluations, 1, 10_000) {
                method.evaluations = n;
            }
            if let Some(n) = count("replications", m.replications, 2, max_reps) {
                method.replications = n as u32;
            }
            if let Some(n) = count("final_replications", m.final_replications, 2, max_reps) {
                method.final_replications = n as u32;
            }
            if let Some(s) = m.seed {
                method.seed = s;
            }
        }
        if method.replications < 2 {
            errors.push(InputError::new(
                &label,
                "method.replications",
                "a calibration needs at least 2 replications a point for the simulated figures' standard errors: set [method] replications",
            ));
        }
        if method.final_replications == 0 {
            method.final_replications = method
                .replications
                .saturating_mul(4)
                .min(crate::scenario::MAX_REPLICATIONS as u32);
        }
        if !errors.is_empty() {
            return Err(Error::Input(errors));
        }
        let hash = {
            use sha2::Digest;
            let mut h = sha2::Sha256::new();
            for part in [
                text.as_bytes(),
                base.hash().as_bytes(),
                env!("CARGO_PKG_VERSION").as_bytes(),
            ] {
                h.update((part.len() as u64).to_le_bytes());
                h.update(part);
            }
            h.finalize().iter().map(|b| format!("{b:02x}")).collect()
        };
        let c = Calibration {
            label,
            base_label,
            scenario_name: base.name.clone(),
            base_path: PathBuf::from(scenario),
            figures,
            params,
            method,
            base_text,
            base_source,
            base_tree,
            hash,
        };
        // Both corners of the box must make valid scenarios (a path to a field that is not a
        // number, or bounds outside what the field allows, show here).
        let mut errors = Vec::new();
        for corner in [0.0, 1.0] {
            let u = vec![corner; c.params.len()];
            if let Err(Error::Input(e)) = c.scenario(&c.natural(&u), 2) {
                for e in e {
                    if !errors
                        .iter()
                        .any(|x: &InputError| x.to_string() == e.to_string())
                    {
                        errors.push(e);
                    }
                }
            }
        }
        if !errors.is_empty() {
            errors.insert(
                0,
                InputError::new(
                    &c.label,
                    "fit",
                    "the scenario with the parameters at their bounds is not valid:",
                ),
            );
            return Err(Error::Input(errors));
        }
        Ok(c)
    }
}
