//! Seeds as the files give them. A seed is a 64-bit whole number, and most are above 2^53,
//! past which R, pandas and JavaScript read a number in a JSON file, or in a CSV cell (R's
//! `read.csv`, JavaScript's `d3.autoType`), as the nearest double: another seed. So:
//!
//! - in JSON a seed is a string of its decimal digits (`"17011231111731235438"`);
//! - in CSV a seed is its decimal digits after the letter `s` (`s17011231111731235438`), so
//!   that no reader takes the cell for a number (a quoted cell of digits is still a number to
//!   R and pandas).
//!
//! Readers take the string, and the bare number of a folder written before schema_version 6.

use serde::de::{self, Deserializer, Unexpected, Visitor};
use serde::ser::Serializer;
use std::fmt;

/// The seed as a JSON string.
pub fn serialize<S: Serializer>(seed: &u64, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(seed)
}

/// A seed from its string, or from the number older folders hold.
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    d.deserialize_any(SeedVisitor)
}

/// A CSV cell's seed: `s` and its decimal digits.
pub fn cell(seed: u64) -> String {
    format!("s{seed}")
}

/// A seed from a CSV cell as [`cell`] writes it, or as bare digits (older folders).
pub fn from_cell(text: &str) -> Option<u64> {
    let digits = text.strip_prefix('s').unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

struct SeedVisitor;

const EXPECTED: &str = "a seed: a whole number from 0 to 18446744073709551615, written as a string";

impl<'de> Visitor<'de> for SeedVisitor {
    type Value = u64;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(EXPECTED)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<u64, E> {
        Ok(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<u64, E> {
        u64::try_from(v).map_err(|_| E::invalid_value(Unexpected::Signed(v), &self))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<u64, E> {
        match v.parse::<u64>() {
            Ok(n) if v.bytes().all(|b| b.is_ascii_digit()) => Ok(n),
            _ => Err(E::invalid_value(Unexpected::Str(v), &self)),
        }
    }
}

/// A seed that older sweep manifests may give as `null`: written as [`serialize`] does (`null`
/// for none), read from a string, a number or `null`. The key must be there.
pub mod nullable {
    use super::*;

    pub fn serialize<S: Serializer>(seed: &Option<u64>, s: S) -> Result<S::Ok, S::Error> {
        match seed {
            Some(v) => s.collect_str(v),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
        d.deserialize_any(Nullable)
    }

    struct Nullable;

    impl<'de> Visitor<'de> for Nullable {
        type Value = Option<u64>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str(EXPECTED)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            super::deserialize(d).map(Some)
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            SeedVisitor.visit_u64(v).map(Some)
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            SeedVisitor.visit_i64(v).map(Some)
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            SeedVisitor.visit_str(v).map(Some)
        }
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct S {
        #[serde(with = "super")]
        seed: u64,
        #[serde(with = "super::nullable")]
        maybe: Option<u64>,
    }

    #[test]
    fn seeds_are_strings_and_older_numbers_still_read() {
        let s = S {
            seed: 17011231111731235438,
            maybe: Some(u64::MAX),
        };
        let text = serde_json::to_string(&s).unwrap();
        assert_eq!(
            text,
            r#"{"seed":"17011231111731235438","maybe":"18446744073709551615"}"#
        );
        assert_eq!(serde_json::from_str::<S>(&text).unwrap(), s);
        let old: S = serde_json::from_str(r#"{"seed":17011231111731235438,"maybe":null}"#).unwrap();
        assert_eq!((old.seed, old.maybe), (17011231111731235438, None));
        for bad in [
            r#""one""#,
            r#""-1""#,
            r#""+1""#,
            "-1",
            r#""18446744073709551616""#,
        ] {
            let e = serde_json::from_str::<S>(&format!(r#"{{"seed":{bad},"maybe":null}}"#))
                .unwrap_err()
                .to_string();
            assert!(e.contains("invalid value"), "{bad}: {e}");
        }
        assert!(serde_json::from_str::<S>(r#"{"seed":"1"}"#).is_err());
    }

    #[test]
    fn csv_cells_are_not_numbers() {
        assert_eq!(super::cell(17011231111731235438), "s17011231111731235438");
        assert_eq!(
            super::from_cell("s17011231111731235438"),
            Some(17011231111731235438)
        );
        assert_eq!(super::from_cell("42"), Some(42));
        for bad in ["", "s", "s-1", "x1", "s1.0", "s18446744073709551616"] {
            assert_eq!(super::from_cell(bad), None, "{bad}");
        }
    }
}
