//! What `optimise` may change: whole-number fields of the scenario file by path, each over a
//! range on a grid (`--vary PATH=FROM..TO[/STEP]`), or, by default, every response resource the
//! scenario has: each response team's establishment (`officers.teams[i].officers`, in steps of
//! its rota's weeks, so that every week's group gains one officer), each unit shift's count
//! (`roster.units.shifts[i].count`) and each sector's constant units
//! (`roster.units.constant.SECTOR`). A file of candidate base sites (`--sites`) adds, for each
//! sector it names, a choice of the sector's `base` among its sites, each with a weekly cost.

use crate::error::InputError;
use crate::scenario::overrides::{Step, parse_path, unknown_key};
use serde_json::Value;

/// The most a knob's range may hold, in grid points.
pub const MAX_POINTS: i64 = 10_000;

/// One field the search may change.
#[derive(Clone, Debug, PartialEq)]
pub struct Knob {
    /// The field's path, as sweeps write it: `officers.teams[0].officers`.
    pub path: String,
    pub steps: Vec<Step>,
    /// The range, both ends included, and its grid (`from + k * step`).
    pub from: i64,
    pub to: i64,
    pub step: i64,
    /// The scenario's own value (None where the file leaves the field out).
    pub own: Option<i64>,
    /// For a choice (a sector's base among candidate sites): the options, the knob's value
    /// being an option's place in the list; empty for a number.
    pub choices: Vec<Choice>,
}

/// One option of a choice: a candidate base site.
#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    pub name: String,
    pub x: f64,
    pub y: f64,
    /// What choosing it costs a week, added to the run's own weekly cost.
    pub cost_per_week: f64,
}

impl Knob {
    /// The grid point the search starts from: the scenario's own value, rounded up onto the
    /// grid and kept within the range; the lower end where the file has no value.
    pub fn start(&self) -> i64 {
        if !self.choices.is_empty() {
            return self.own.unwrap_or(0);
        }
        let v = self.own.unwrap_or(self.from).clamp(self.from, self.to);
        let k = (v - self.from + self.step - 1) / self.step;
        (self.from + k * self.step).min(self.to)
    }
}

impl Knob {
    /// The values one step up from `v` (a choice: every other option).
    pub fn ups(&self, v: i64) -> Vec<i64> {
        if self.choices.is_empty() {
            Some(v + self.step)
                .filter(|&u| u <= self.to)
                .into_iter()
                .collect()
        } else {
            (0..self.choices.len() as i64).filter(|&u| u != v).collect()
        }
    }
    /// The values one step down from `v` (a choice: every other option).
    pub fn downs(&self, v: i64) -> Vec<i64> {
        if self.choices.is_empty() {
            Some(v - self.step)
                .filter(|&d| d >= self.from)
                .into_iter()
                .collect()
        } else {
            self.ups(v)
        }
    }
    /// The value the scenario file takes for `v`.
    pub fn value(&self, v: i64) -> Value {
        match self.choices.get(v as usize) {
            Some(c) if !self.choices.is_empty() => serde_json::json!([c.x, c.y]),
            _ => Value::from(v),
        }
    }
    /// What `v` costs a week beyond the run's own cost (a site's).
    pub fn cost(&self, v: i64) -> f64 {
        self.choices
            .get(v as usize)
            .map_or(0.0, |c| c.cost_per_week)
    }
    /// `v` as people read it: the number, or the site's name.
    pub fn show(&self, v: i64) -> String {
        match self.choices.get(v as usize) {
            Some(c) => c.name.clone(),
            None => v.to_string(),
        }
    }
}

/// The candidate base sites of file `label`, as choices of each sector's `base`, in the order
/// the file first names each sector; every problem at once.
pub fn sites(
    rows: &[crate::scenario::csv::SiteRow],
    tree: &Value,
    label: &str,
) -> Result<Vec<Knob>, Vec<InputError>> {
    let sectors: Vec<&str> = tree
        .get("sectors")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|s| s.get("name").and_then(Value::as_str).unwrap_or(""))
                .collect()
        })
        .unwrap_or_default();
    let mut knobs: Vec<Knob> = Vec::new();
    let mut errors = Vec::new();
    for r in rows {
        let Some(i) = sectors.iter().position(|s| *s == r.sector) else {
            errors.push(
                InputError::new(
                    label,
                    "sector",
                    format!(
                        "\"{}\" is not a sector of the scenario (its sectors: {})",
                        r.sector,
                        sectors.join(", ")
                    ),
                )
                .at(r.line as usize, 1),
            );
            continue;
        };
        let path = format!("sectors[{i}].base");
        let k = match knobs.iter().position(|k| k.path == path) {
            Some(k) => k,
            None => {
                let own_base = tree.pointer(&format!("/sectors/{i}/base")).cloned();
                knobs.push(Knob {
                    steps: parse_path(&path).expect("a path made here parses"),
                    path,
                    from: 0,
                    to: 0,
                    step: 1,
                    own: None,
                    choices: Vec::new(),
                });
                let k = knobs.len() - 1;
                // The scenario's own base, when it is one of the sites.
                knobs[k].own = own_base.and_then(|b| {
                    let xy = (b.get(0)?.as_f64()?, b.get(1)?.as_f64()?);
                    rows.iter()
                        .filter(|s| s.sector == r.sector)
                        .position(|s| (s.x, s.y) == xy)
                        .map(|p| p as i64)
                });
                k
            }
        };
        if knobs[k].choices.iter().any(|c| c.name == r.name) {
            errors.push(
                InputError::new(
                    label,
                    "name",
                    format!("site \"{}\" is named twice for sector {}", r.name, r.sector),
                )
                .at(r.line as usize, 2),
            );
            continue;
        }
        knobs[k].choices.push(Choice {
            name: r.name.clone(),
            x: r.x,
            y: r.y,
            cost_per_week: r.cost_per_week,
        });
        knobs[k].to = knobs[k].choices.len() as i64 - 1;
    }
    if errors.is_empty() {
        Ok(knobs)
    } else {
        Err(errors)
    }
}

/// The value at `path` in the scenario's tree, when it is there.
fn value_at<'a>(tree: &'a Value, steps: &[Step]) -> Option<&'a Value> {
    let mut at = tree;
    for s in steps {
        at = match s {
            Step::Key(k) => at.get(k.as_str())?,
            Step::Index(i) => at.get(*i)?,
        };
    }
    Some(at)
}

/// Parses the `--vary` options against the scenario's tree, every problem at once.
pub fn parse(texts: &[String], tree: &Value) -> Result<Vec<Knob>, Vec<InputError>> {
    let mut knobs: Vec<Knob> = Vec::new();
    let mut errors = Vec::new();
    let mut bad = |why: String| errors.push(InputError::new("command line", "--vary", why));
    for t in texts {
        let Some((path, range)) = t.split_once('=') else {
            bad(format!(
                "\"{t}\": write PATH=FROM..TO or PATH=FROM..TO/STEP, e.g. officers.teams[0].officers=12..48/6"
            ));
            continue;
        };
        let path = path.trim();
        let steps = match parse_path(path) {
            Ok(s) => s,
            Err(e) => {
                bad(e);
                continue;
            }
        };
        if let Some(why) = unknown_key(tree, &steps) {
            bad(format!("{path}: {why}"));
            continue;
        }
        let (span, step) = match range.split_once('/') {
            Some((s, st)) => (s, Some(st)),
            None => (range, None),
        };
        let whole = |s: &str| s.trim().parse::<i64>().ok();
        let parsed = span
            .split_once("..")
            .and_then(|(a, b)| Some((whole(a)?, whole(b)?)));
        let Some((from, to)) = parsed else {
            bad(format!(
                "\"{t}\": the range must be two whole numbers joined by .., e.g. 12..48"
            ));
            continue;
        };
        let step = match step.map(whole) {
            None => 1,
            Some(Some(s)) if s >= 1 => s,
            Some(_) => {
                bad(format!(
                    "\"{t}\": the step must be a whole number of at least 1"
                ));
                continue;
            }
        };
        if from < 0 || to < from {
            bad(format!(
                "\"{t}\": the range must run from a number of at least 0 up to one no smaller"
            ));
            continue;
        }
        if (to - from) / step + 1 > MAX_POINTS {
            bad(format!(
                "\"{t}\": the range holds more than {MAX_POINTS} values; give a larger step"
            ));
            continue;
        }
        let own = match value_at(tree, &steps) {
            None => None,
            Some(v) => match v.as_i64() {
                Some(n) => Some(n),
                None => {
                    bad(format!(
                        "{path} is {v} in the scenario, not a whole number: only whole-number fields (units, officers, members) can be searched"
                    ));
                    continue;
                }
            },
        };
        if knobs.iter().any(|k| k.path == path) {
            bad(format!("{path} is given twice"));
            continue;
        }
        knobs.push(Knob {
            path: path.to_string(),
            steps,
            from,
            to,
            step,
            own,
            choices: Vec::new(),
        });
    }
    if errors.is_empty() {
        Ok(knobs)
    } else {
        Err(errors)
    }
}

/// Every response resource of the scenario's tree, as knobs: each team's establishment (in
/// steps of its rota's weeks, from one officer a week's group up to three times the
/// scenario's and five steps more), each unit shift's count (from 1) and each sector's
/// constant units (from 0), up to three times the scenario's and five more.
pub fn defaults(tree: &Value) -> Vec<Knob> {
    let mut knobs = Vec::new();
    let mut push = |path: String, own: i64, from: i64, step: i64| {
        let steps = parse_path(&path).expect("a path made here parses");
        let top = own.max(from) * 3 + 5 * step;
        let to = from + (top - from) / step * step;
        knobs.push(Knob {
            path,
            steps,
            from,
            to,
            step,
            own: Some(own),
            choices: Vec::new(),
        });
    };
    let rota_weeks = |name: &str| -> i64 {
        tree.pointer("/officers/rotas")
            .and_then(Value::as_array)
            .and_then(|rs| {
                rs.iter()
                    .find(|r| r.get("name").and_then(Value::as_str) == Some(name))
            })
            .and_then(|r| r.get("weeks").and_then(Value::as_array))
            .map_or(1, |w| w.len().max(1) as i64)
    };
    if let Some(teams) = tree.pointer("/officers/teams").and_then(Value::as_array) {
        for (i, t) in teams.iter().enumerate() {
            let Some(own) = t.get("officers").and_then(Value::as_i64) else {
                continue;
            };
            let step = t.get("rota").and_then(Value::as_str).map_or(1, rota_weeks);
            push(format!("officers.teams[{i}].officers"), own, step, step);
        }
    }
    if let Some(shifts) = tree
        .pointer("/roster/units/shifts")
        .and_then(Value::as_array)
    {
        for (i, s) in shifts.iter().enumerate() {
            let own = s.get("count").and_then(Value::as_i64).unwrap_or(1);
            push(format!("roster.units.shifts[{i}].count"), own, 1, 1);
        }
    }
    if let Some(constant) = tree
        .pointer("/roster/units/constant")
        .and_then(Value::as_object)
    {
        for (sector, n) in constant {
            let ok = sector
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            if let (Some(own), true) = (n.as_i64(), ok) {
                push(format!("roster.units.constant.{sector}"), own, 0, 1);
            }
        }
    }
    knobs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_grids_and_starts() {
        let tree = serde_json::json!({
            "officers": {"rotas": [{"name": "six", "weeks": ["a","b","c","d","e","f"]}],
                         "teams": [{"rota": "six", "officers": 24}, {"officers": 3}]},
            "roster": {"units": {"constant": {"north": 2}, "shifts": [{"count": 4}]}}
        });
        let d = defaults(&tree);
        let paths: Vec<&str> = d.iter().map(|k| k.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "officers.teams[0].officers",
                "officers.teams[1].officers",
                "roster.units.shifts[0].count",
                "roster.units.constant.north"
            ]
        );
        assert_eq!(
            (d[0].from, d[0].to, d[0].step, d[0].start()),
            (6, 102, 6, 24)
        );
        assert_eq!((d[3].from, d[3].to, d[3].step, d[3].start()), (0, 11, 1, 2));
        let k = parse(&["officers.teams[0].officers=10..40/4".into()], &tree).unwrap();
        // 24 is off the grid 10, 14, ... 38: the start rounds up to 26.
        assert_eq!(k[0].start(), 26);
        assert_eq!(k[0].to, 40);
        let errors = parse(
            &[
                "roster.units.constant.north=5..1".into(),
                "roster.units.constant.north=1..5/0".into(),
                "officers.rotas[0].name=1..2".into(),
                "nothing".into(),
            ],
            &tree,
        )
        .unwrap_err();
        assert_eq!(errors.len(), 4, "{errors:?}");
    }
}
