//! `hotline hours preview`: the contract's object, day by day, with notes.

use serde_json::{Value, json};

use crate::helpers::{TempFile, hotline};

const HOLIDAY_SEASON: &str = r#"{"timezone": "America/Edmonton",
  "hours": [{"day_of_week": 4, "start_time": "09:00", "end_time": "17:00"},
            {"day_of_week": 5, "start_time": "09:00", "end_time": "12:00"},
            {"day_of_week": 5, "start_time": "13:00", "end_time": "17:00"}],
  "holidays": [{"name": "Christmas Day", "rule": "date", "month": 12, "day": 25}],
  "special_hours": [{"date": "2026-12-24", "hours": [{"start_time": "09:00", "end_time": "13:00"}], "reason": "Christmas Eve"}]}"#;

#[test]
fn prints_each_date_with_its_occurrences_and_what_decided_it() {
    let schedule = TempFile::new("schedule.json", HOLIDAY_SEASON.as_bytes());
    let run = hotline(&[
        "hours",
        "preview",
        "--schedule",
        schedule.arg(),
        "--from",
        "2026-12-24",
        "--days",
        "9",
    ]);
    assert_eq!(run.code, Some(0), "stderr: {}", run.stderr);
    let preview: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", run.stdout));
    assert_eq!(preview["timezone"], "America/Edmonton");
    let days = preview["days"].as_array().cloned().unwrap_or_default();
    assert_eq!(days.len(), 9);
    assert_eq!(
        days[0],
        json!({"date": "2026-12-24", "open": [{"start": "2026-12-24T16:00:00Z", "end": "2026-12-24T20:00:00Z"}], "note": "Christmas Eve"})
    );
    assert_eq!(
        days[1],
        json!({"date": "2026-12-25", "open": [], "note": "Christmas Day"})
    );
    assert_eq!(
        days[2],
        json!({"date": "2026-12-26", "open": [], "note": null})
    );
    // Thursday and Friday of the next week: the week's shifts, in order.
    assert_eq!(days[7]["date"], "2026-12-31");
    assert_eq!(days[7]["open"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        days[8]["open"],
        json!([
            {"start": "2027-01-01T16:00:00Z", "end": "2027-01-01T19:00:00Z"},
            {"start": "2027-01-01T20:00:00Z", "end": "2027-01-02T00:00:00Z"}
        ])
    );
}

#[test]
fn defaults_to_fourteen_days_from_today_and_refuses_bad_arguments() {
    let schedule = TempFile::new("schedule.json", HOLIDAY_SEASON.as_bytes());
    let run = hotline(&["hours", "preview", "--schedule", schedule.arg()]);
    assert_eq!(run.code, Some(0), "stderr: {}", run.stderr);
    let preview: Value = serde_json::from_str(&run.stdout).unwrap_or(Value::Null);
    assert_eq!(
        preview["days"].as_array().map(Vec::len),
        Some(14),
        "{}",
        run.stdout
    );
    for bad in [["--days", "0"], ["--days", "401"], ["--from", "tomorrow"]] {
        let run = hotline(&[
            "hours",
            "preview",
            "--schedule",
            schedule.arg(),
            bad[0],
            bad[1],
        ]);
        assert_eq!(run.code, Some(2), "{bad:?}: {}", run.stdout);
        assert!(run.stderr.contains(bad[0]), "{bad:?}: {}", run.stderr);
    }
    let invalid = TempFile::new(
        "bad.json",
        br#"{"timezone": "UTC", "holidays": [{"rule": "nth_weekday", "month": 11, "weekday": 4}]}"#,
    );
    let run = hotline(&["hours", "preview", "--schedule", invalid.arg()]);
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.contains("holidays[0].nth"), "{}", run.stderr);
}
