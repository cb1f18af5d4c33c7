//! Tests of the output contract.

use super::*;

fn row() -> KpiRow {
    KpiRow {
        kpi: "T1".into(),
        scope: "channel".into(),
        scope_value: "999".into(),
        clock: "call".into(),
        statistic: "share_within".into(),
        target: Some("10s".into()),
        required: Some(0.9),
        mean: Some(0.94),
        sd: None,
        ci_low: None,
        ci_high: None,
        n: 1,
        share_reps_meeting: Some(1.0),
        status: Some(Status::Unknown),
    }
}

#[test]
fn a_row_comes_back_as_written_with_its_keys_in_order() {
    let bytes = crate::output::json_bytes(&row());
    let text = String::from_utf8(bytes.clone()).unwrap();
    let keys: Vec<&str> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix('"')?.split('"').next())
        .collect();
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    assert_eq!(keys, sorted, "keys in alphabetical order");
    assert!(text.contains("\"sd\": null"), "{text}");
    let back: KpiRow = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(back, row());
}

#[test]
fn a_missing_optional_key_is_an_error_not_a_none() {
    let mut v = serde_json::to_value(row()).unwrap();
    v.as_object_mut().unwrap().remove("sd");
    let e = serde_json::from_value::<KpiRow>(v).unwrap_err().to_string();
    assert!(e.contains("missing field `sd`"), "{e}");
}

#[test]
fn statuses_read_as_written() {
    for s in [
        TargetStatus::Met,
        TargetStatus::AtRisk,
        TargetStatus::Missed,
        TargetStatus::Unknown,
        TargetStatus::NotInScenario,
        TargetStatus::NotInPledge,
    ] {
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(json, format!("\"{}\"", s.label()));
        assert_eq!(serde_json::from_str::<TargetStatus>(&json).unwrap(), s);
    }
    assert_eq!(
        serde_json::to_string(&Status::AtRisk).unwrap(),
        "\"at_risk\""
    );
    assert_eq!(serde_json::to_string(&Kind::Run).unwrap(), "\"run\"");
}

#[test]
fn figures_are_finite_or_none() {
    assert_eq!(figure(f64::NAN), None);
    assert_eq!(figure(f64::INFINITY), None);
    assert_eq!(figure(0.5), Some(0.5));
    let mut r = csv::Reader::from_reader("mean\nNaN\n".as_bytes());
    #[derive(Debug, Deserialize)]
    struct M {
        #[serde(deserialize_with = "finite")]
        #[allow(dead_code)]
        mean: Option<f64>,
    }
    let e = r.deserialize::<M>().next().unwrap().unwrap_err();
    assert!(e.to_string().contains("not a finite number"), "{e}");
}
