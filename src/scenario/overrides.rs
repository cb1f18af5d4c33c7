//! Overrides of a scenario's fields by path, as sweeps give them: `roster.handlers.constant`,
//! `roster.handlers.shifts[2].count`, `response.divert`. They are applied to the file as
//! written (before validation), so an overridden scenario is validated like any other and its
//! errors name the field, and its line in the base file where the field is written there.

use super::{Error, Format, InputError, Scenario, Source, parse_error, parse_file, validate};
use serde_json::Value;

/// One step of a path: a key of a table, or an index into a list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// Parses `a.b[2].c` into steps.
pub fn parse_path(path: &str) -> Result<Vec<Step>, String> {
    let mut steps = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if key.is_empty()
            || !key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(format!(
                "\"{path}\" is not a field path: write keys joined by dots, with [n] for the n-th item of a list (counting from 0), e.g. roster.handlers.shifts[2].count"
            ));
        }
        steps.push(Step::Key(key.to_string()));
        while !rest.is_empty() {
            let close = rest
                .find(']')
                .ok_or_else(|| format!("\"{path}\": a [ without ]"))?;
            let n: usize = rest[1..close].parse().map_err(|_| {
                format!(
                    "\"{path}\": [{}] is not an index (0, 1, 2 ...)",
                    &rest[1..close]
                )
            })?;
            steps.push(Step::Index(n));
            rest = &rest[close + 1..];
            if !rest.is_empty() && !rest.starts_with('[') {
                return Err(format!("\"{path}\": unexpected \"{rest}\" after an index"));
            }
        }
    }
    Ok(steps)
}

/// Sets the value at `path` in `tree`, creating tables on the way (lists must exist).
pub fn set(tree: &mut Value, path: &[Step], value: Value) -> Result<(), String> {
    let mut at = tree;
    for (k, step) in path.iter().enumerate() {
        let last = k + 1 == path.len();
        at = match step {
            Step::Key(key) => {
                let Value::Object(map) = at else {
                    return Err(format!("{} is not a table", shown(&path[..k])));
                };
                if last {
                    map.insert(key.clone(), value);
                    return Ok(());
                }
                map.entry(key.clone()).or_insert_with(|| match path[k + 1] {
                    Step::Key(_) => Value::Object(Default::default()),
                    Step::Index(_) => Value::Array(Vec::new()),
                })
            }
            Step::Index(i) => {
                let Value::Array(list) = at else {
                    return Err(format!("{} is not a list", shown(&path[..k])));
                };
                let n = list.len();
                let Some(item) = list.get_mut(*i) else {
                    return Err(format!(
                        "{} has {n} item(s), so there is no [{i}] (indices count from 0)",
                        shown(&path[..k])
                    ));
                };
                if last {
                    *item = value;
                    return Ok(());
                }
                item
            }
        };
    }
    Ok(())
}

/// Whether `path` names a key the scenario file does not have: the first key on the path that
/// is not in `base` is put there and the file read; a message naming the key and what it may
/// be is returned when the reader does not know it ("no field `shift` in roster.handlers").
pub fn unknown_key(base: &Value, path: &[Step]) -> Option<String> {
    let mut at = base;
    for (k, step) in path.iter().enumerate() {
        let next = match (step, at) {
            (Step::Key(key), Value::Object(m)) => m.get(key),
            (Step::Index(i), Value::Array(a)) => a.get(*i),
            _ => return None,
        };
        match next {
            Some(n) => at = n,
            None => {
                let Step::Key(key) = step else { return None };
                let mut probe = base.clone();
                set(&mut probe, &path[..=k], Value::Null).ok()?;
                let err = serde_path_to_error::deserialize::<_, super::file::ScenarioFile>(probe)
                    .err()?;
                let message = err.inner().to_string();
                let expected = message
                    .strip_prefix(&format!("unknown field `{key}`"))?
                    .trim_start_matches(", ");
                return Some(format!(
                    "no field `{key}` in {}{}",
                    shown(&path[..k]),
                    if expected.is_empty() {
                        String::new()
                    } else {
                        format!(" ({expected})")
                    }
                ));
            }
        }
    }
    None
}

fn shown(path: &[Step]) -> String {
    if path.is_empty() {
        return "the scenario".into();
    }
    let mut s = String::new();
    for step in path {
        match step {
            Step::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Step::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// A scenario file's text as a tree of values.
pub fn tree(text: &str, source: &Source) -> Result<Value, Error> {
    let parsed = match source.format {
        Format::Toml => toml::from_str::<Value>(text).map_err(|e| e.to_string()),
        Format::Json => serde_json::from_str::<Value>(text).map_err(|e| e.to_string()),
    };
    match parsed {
        Ok(v) => Ok(v),
        // The scenario parser gives the better message, with line and field.
        Err(e) => Err(parse_file(text, source)
            .err()
            .unwrap_or_else(|| InputError::new(&source.label, "", e).into())),
    }
}

impl Scenario {
    /// The scenario `text` with `overrides` (already parsed paths and values) applied, validated.
    pub fn parse_with(
        text: &str,
        source: &Source,
        base: &Value,
        overrides: &[(Vec<Step>, Value)],
    ) -> Result<Scenario, Error> {
        if overrides.is_empty() {
            return Scenario::parse(text, source);
        }
        let mut v = base.clone();
        for (path, value) in overrides {
            set(&mut v, path, value.clone())
                .map_err(|e| Error::from(InputError::new(&source.label, shown(path), e)))?;
        }
        let file = match serde_path_to_error::deserialize(v) {
            Ok(f) => f,
            Err(e) => {
                let path = super::field_path(e.path());
                let msg = e.into_inner().to_string();
                return Err(parse_error(text, source, msg, None, path));
            }
        };
        validate::validate(file, text, source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_parse_and_set() {
        let p = parse_path("roster.handlers.shifts[2].count").unwrap();
        assert_eq!(
            p,
            vec![
                Step::Key("roster".into()),
                Step::Key("handlers".into()),
                Step::Key("shifts".into()),
                Step::Index(2),
                Step::Key("count".into())
            ]
        );
        assert!(parse_path("a..b").is_err());
        assert!(parse_path("a[x]").is_err());
        assert!(parse_path("a[1").is_err());
        let mut v: Value = serde_json::json!({ "a": { "b": [1, 2] } });
        set(&mut v, &parse_path("a.b[1]").unwrap(), Value::from(5)).unwrap();
        set(&mut v, &parse_path("a.c.d").unwrap(), Value::from(true)).unwrap();
        assert_eq!(
            v,
            serde_json::json!({ "a": { "b": [1, 5], "c": { "d": true } } })
        );
        let e = set(&mut v, &parse_path("a.b[2]").unwrap(), Value::from(0)).unwrap_err();
        assert!(e.contains("a.b has 2 item(s)"), "{e}");
    }

    #[test]
    fn a_path_through_a_key_the_scenario_has_not_is_named() {
        let base = serde_json::json!({"roster": {"handlers": {"shifts": []}}});
        let typo = parse_path("roster.handlers.shift[0].count").unwrap();
        let said = unknown_key(&base, &typo).expect("shift is not a field");
        assert!(
            said.starts_with("no field `shift` in roster.handlers (expected one of"),
            "{said}"
        );
        // A key the base leaves out but the scenario has is no typo.
        let new = parse_path("roster.handlers.constant").unwrap();
        assert_eq!(unknown_key(&base, &new), None);
    }
}
