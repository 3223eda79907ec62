//! Validation of schedule documents: each invalid field is named.

use hotline_domain::schedule::ScheduleProblem;
use hotline_domain::{ScheduleDocument, WeeklySchedule};

use crate::helpers::schedule;

fn error_of(json: &str) -> (String, ScheduleProblem) {
    let document: ScheduleDocument =
        serde_json::from_str(json).unwrap_or_else(|e| panic!("fixture is not a document: {e}"));
    match WeeklySchedule::from_document(&document) {
        Ok(_) => panic!("accepted an invalid schedule: {json}"),
        Err(error) => (error.field, error.problem),
    }
}

fn with_hours(hours: &str) -> String {
    format!(r#"{{"timezone": "America/Edmonton", "hours": [{hours}]}}"#)
}

#[test]
fn each_invalid_field_is_named() {
    let monday = r#"{"day_of_week": 1, "start_time": "09:00", "end_time": "17:00"}"#;
    let cases: Vec<(String, &str, ScheduleProblem)> = vec![
        (
            r#"{"timezone": "Mars/Base", "hours": []}"#.to_owned(),
            "timezone",
            ScheduleProblem::UnknownTimeZone("Mars/Base".to_owned()),
        ),
        (
            with_hours(r#"{"day_of_week": 7, "start_time": "09:00", "end_time": "17:00"}"#),
            "hours[0].day_of_week",
            ScheduleProblem::DayOfWeekOutOfRange(7),
        ),
        (
            with_hours(&format!(
                r#"{monday}, {{"day_of_week": -1, "start_time": "09:00", "end_time": "17:00"}}"#
            )),
            "hours[1].day_of_week",
            ScheduleProblem::DayOfWeekOutOfRange(-1),
        ),
        (
            with_hours(r#"{"day_of_week": 1, "start_time": "9am", "end_time": "17:00"}"#),
            "hours[0].start_time",
            ScheduleProblem::MalformedTime("9am".to_owned()),
        ),
        (
            with_hours(r#"{"day_of_week": 1, "start_time": "09:00", "end_time": "25:00"}"#),
            "hours[0].end_time",
            ScheduleProblem::MalformedTime("25:00".to_owned()),
        ),
        (
            with_hours(r#"{"day_of_week": 1, "start_time": "24:00", "end_time": "08:00"}"#),
            "hours[0].start_time",
            ScheduleProblem::StartsAtEndOfDay,
        ),
        (
            with_hours(&format!("{monday}, {monday}")),
            "hours[1]",
            ScheduleProblem::DuplicateInterval(0),
        ),
        (
            r#"{"timezone": "UTC", "closures": [{"date": "2026-02-30"}]}"#.to_owned(),
            "closures[0].date",
            ScheduleProblem::MalformedDate("2026-02-30".to_owned()),
        ),
        (
            r#"{"timezone": "UTC", "closures": [{"date": "2026-12-25"}, {"date": "25/12/2026"}]}"#
                .to_owned(),
            "closures[1].date",
            ScheduleProblem::MalformedDate("25/12/2026".to_owned()),
        ),
    ];
    for (json, field, problem) in cases {
        assert_eq!(error_of(&json), (field.to_owned(), problem), "{json}");
    }
}

#[test]
fn error_message_is_one_line_naming_the_field() {
    let document: ScheduleDocument = serde_json::from_str(&with_hours(
        r#"{"day_of_week": 1, "start_time": "09:00", "end_time": "5pm"}"#,
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    let message = WeeklySchedule::from_document(&document)
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        message.as_deref(),
        Some(
            "hours[0].end_time: \"5pm\" is not a time of day: expected HH:MM from 00:00 to 23:59 \
             (24:00 as an end)"
        )
    );
}

#[test]
fn documents_round_trip_with_defaults_filled_in() {
    let written = r#"{"timezone": "America/Edmonton",
        "hours": [{"day_of_week": 5, "start_time": "20:00", "end_time": "24:00", "is_active": false},
                  {"day_of_week": 1, "start_time": "09:00", "end_time": "17:00"}],
        "closures": [{"date": "2026-12-25", "reason": "Christmas Day"}, {"date": "2026-12-26"}]}"#;
    let document = schedule(written).to_document();
    assert_eq!(document.hours[0].end_time, "24:00");
    assert!(!document.hours[0].is_active);
    assert!(document.hours[1].is_active);
    assert_eq!(document.closures[1].reason, None);
    let again = WeeklySchedule::from_document(&document).map(|s| s.to_document());
    assert_eq!(again, Ok(document));
}
