//! sweep.csv's columns for the parameters a sweep varies.

/// sweep.csv's column names for parameter paths, names that R's `read.csv` and pandas keep as
/// they are and that are identifiers in both: `p_`, then the path with every run of characters
/// other than ASCII letters and digits made one `_`, with none at the end
/// (`roster.handlers.shifts[0].count` is `p_roster_handlers_shifts_0_count`); a name already
/// taken gets `_2`, `_3`, ... so that every column is unique.
pub fn parameter_columns(paths: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(paths.len());
    for path in paths {
        let mut name = String::from("p_");
        for ch in path.chars() {
            if ch.is_ascii_alphanumeric() {
                name.push(ch);
            } else if !name.ends_with('_') {
                name.push('_');
            }
        }
        while name.ends_with('_') && name.len() > 2 {
            name.pop();
        }
        let mut unique = name.clone();
        let mut k = 2;
        while out.contains(&unique) {
            unique = format!("{name}_{k}");
            k += 1;
        }
        out.push(unique);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::contract::ROW_HEADER;

    #[test]
    fn parameter_columns_are_identifiers_and_unique() {
        let paths: Vec<String> = [
            "roster.handlers.count",
            "demand.emergency.patience.mean",
            "roster.handlers.shifts[0].count",
            "roster_handlers.count",
            "roster.handlers..count",
            "run.seed",
            "naïve key[1]",
        ]
        .map(String::from)
        .into();
        let cols = parameter_columns(&paths);
        assert_eq!(
            cols,
            [
                "p_roster_handlers_count",
                "p_demand_emergency_patience_mean",
                "p_roster_handlers_shifts_0_count",
                "p_roster_handlers_count_2",
                "p_roster_handlers_count_3",
                "p_run_seed",
                "p_na_ve_key_1",
            ]
        );
        for c in &cols {
            // An identifier in R, Python and JavaScript: a letter, then letters, digits and `_`.
            assert!(c.starts_with(|ch: char| ch.is_ascii_alphabetic()), "{c}");
            assert!(
                c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_'),
                "{c}"
            );
            assert!(!ROW_HEADER.contains(&c.as_str()) && c != "point");
        }
    }
}
