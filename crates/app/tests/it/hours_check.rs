//! `hotline hours check`: the contract's output, and exit 2 on bad files.

use serde_json::{Value, json};

use crate::helpers::{TempFile, hotline};

const FRIDAY_NIGHT_AND_MONDAY: &str = r#"{"timezone": "America/Edmonton",
  "hours": [{"day_of_week": 1, "start_time": "09:00", "end_time": "17:00"},
            {"day_of_week": 5, "start_time": "20:00", "end_time": "08:00"}],
  "closures": [{"date": "2026-12-25", "reason": "Christmas Day"}]}"#;

fn check_at(schedule: &TempFile, at: &str) -> Value {
    let run = hotline(&["hours", "check", "--schedule", schedule.arg(), "--at", at]);
    assert_eq!(run.code, Some(0), "stderr: {}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", run.stdout))
}

#[test]
fn prints_open_next_open_and_next_close_in_utc() {
    let schedule = TempFile::new("schedule.json", FRIDAY_NIGHT_AND_MONDAY.as_bytes());
    assert_eq!(
        check_at(&schedule, "2026-11-28T03:00:00-07:00"),
        json!({"open": true, "next_open": "2026-11-28T10:00:00Z", "next_close": "2026-11-28T15:00:00Z"})
    );
    assert_eq!(
        check_at(&schedule, "2026-11-23T18:00:00-07:00"),
        json!({"open": false, "next_open": "2026-11-28T03:00:00Z", "next_close": null})
    );
}

#[test]
fn defaults_to_now() {
    let schedule = TempFile::new("schedule.json", FRIDAY_NIGHT_AND_MONDAY.as_bytes());
    let run = hotline(&["hours", "check", "--schedule", schedule.arg()]);
    assert_eq!(run.code, Some(0), "stderr: {}", run.stderr);
    let answer: Value = serde_json::from_str(&run.stdout).unwrap_or(Value::Null);
    assert!(answer["open"].is_boolean(), "{}", run.stdout);
    assert!(answer["next_open"].is_string(), "{}", run.stdout);
}

#[test]
fn bad_files_exit_2_with_one_line_naming_the_problem() {
    let cases: &[(&[u8], &str)] = &[
        (br#"{"timezone": "Mars/Base"}"#, "timezone: unknown time zone"),
        (
            br#"{"timezone": "UTC", "hours": [{"day_of_week": 1, "start_time": "9", "end_time": "10:00"}]}"#,
            "hours[0].start_time",
        ),
        (
            br#"{"timezone": "UTC", "hours": [{"day_of_week": "mon", "start_time": "09:00", "end_time": "10:00"}]}"#,
            "hours[0].day_of_week",
        ),
        (
            br#"{"timezone": "UTC", "hours": [{"day_of_week": 1, "end_time": "10:00"}]}"#,
            "hours[0].start_time: missing",
        ),
        (br#"{"timezone": "UTC", "closures": [{"date": "tomorrow"}]}"#, "closures[0].date"),
        (b"{\"timez", "not a schedule document"),
        (b"\xff\xfe\x00garbage", "cannot read the file"),
        (b"[]", "not a schedule document"),
    ];
    for (contents, expected) in cases {
        let schedule = TempFile::new("bad.json", contents);
        let run = hotline(&[
            "hours",
            "check",
            "--schedule",
            schedule.arg(),
            "--at",
            "2026-11-23T12:00:00Z",
        ]);
        assert_eq!(run.code, Some(2), "{expected}: stderr {}", run.stderr);
        assert!(run.stdout.is_empty(), "{expected}: printed {}", run.stdout);
        assert_eq!(
            run.stderr.trim_end().lines().count(),
            1,
            "{expected}: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains(expected),
            "want {expected:?} in {}",
            run.stderr
        );
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    }
}

#[test]
fn missing_file_exits_2() {
    let run = hotline(&["hours", "check", "--schedule", "/nonexistent/schedule.json"]);
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr.contains("cannot read the file"),
        "{}",
        run.stderr
    );
}
