//! Plain-English wording: percentages, counts, verdicts and times as people say them.

use crate::output::contract::TargetStatus;

/// A share as a percentage, or "no figure".
pub fn pct(v: f64) -> String {
    if v.is_finite() {
        format!("{:.1}%", v * 100.0)
    } else {
        "no figure".into()
    }
}

/// A share and its 95% range as a cell: "88.6% (88.0&ndash;89.2%)", a missing figure as
/// "no figure".
pub fn pct_range(mean: Option<f64>, low: Option<f64>, high: Option<f64>) -> String {
    let nan = |v: Option<f64>| v.unwrap_or(f64::NAN);
    format!(
        "{} ({}&ndash;{})",
        pct(nan(mean)),
        pct(nan(low)).trim_end_matches('%'),
        pct(nan(high))
    )
}

/// The plain word for a target's status: "kept", "at risk", "not modelled in this scenario".
pub fn verdict_words(status: Option<TargetStatus>) -> &'static str {
    match status {
        Some(TargetStatus::Met) => "kept",
        Some(TargetStatus::AtRisk) => "at risk",
        Some(TargetStatus::Missed) => "missed",
        Some(TargetStatus::NotInScenario) => "not modelled in this scenario",
        Some(TargetStatus::NotInPledge) => "not made by this pledge",
        Some(TargetStatus::Unknown) | None => "no figure",
    }
}

/// The CSS class that colours a status.
pub fn class_of(status: Option<TargetStatus>) -> &'static str {
    match status {
        Some(TargetStatus::Met) => "met",
        Some(TargetStatus::AtRisk) => "at-risk",
        Some(TargetStatus::Missed) => "missed",
        _ => "",
    }
}

/// "1 is", "3 are".
pub fn are(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A label cut to `n` characters, with "..." where cut.
pub fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}...", s.chars().take(n - 3).collect::<String>())
    }
}

/// Times as people say them: "10s" as "10 seconds", "8w" as "8 weeks", "10wd" as "10 working
/// days"; "15min urban, 20min rural" word by word.
pub fn in_words(text: &str) -> String {
    text.split(", ")
        .map(|part| {
            let (time, rest) = part.split_once(' ').unwrap_or((part, ""));
            let digits = time
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(time.len());
            let (n, unit) = time.split_at(digits);
            let one = n == "1";
            let word = match unit {
                "ms" => "milliseconds",
                "s" => {
                    if one {
                        "second"
                    } else {
                        "seconds"
                    }
                }
                "min" => {
                    if one {
                        "minute"
                    } else {
                        "minutes"
                    }
                }
                "h" => {
                    if one {
                        "hour"
                    } else {
                        "hours"
                    }
                }
                "d" => {
                    if one {
                        "day"
                    } else {
                        "days"
                    }
                }
                "w" => {
                    if one {
                        "week"
                    } else {
                        "weeks"
                    }
                }
                "wd" => {
                    if one {
                        "working day"
                    } else {
                        "working days"
                    }
                }
                "mo" => {
                    if one {
                        "month"
                    } else {
                        "months"
                    }
                }
                _ => return part.to_string(),
            };
            if n.is_empty() {
                return part.to_string();
            }
            let words = format!("{n} {word}");
            if rest.is_empty() {
                words
            } else {
                format!("{words} {rest}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_as_people_say_them() {
        assert_eq!(in_words("10s"), "10 seconds");
        assert_eq!(in_words("1min"), "1 minute");
        assert_eq!(in_words("10wd"), "10 working days");
        assert_eq!(
            in_words("15min urban, 20min rural"),
            "15 minutes urban, 20 minutes rural"
        );
        assert_eq!(in_words("monthly"), "monthly");
    }

    #[test]
    fn verdicts_in_words() {
        assert_eq!(verdict_words(Some(TargetStatus::Met)), "kept");
        assert_eq!(verdict_words(None), "no figure");
        assert_eq!(are(1, "is", "are"), "1 is");
        assert_eq!(pct(f64::NAN), "no figure");
    }
}
