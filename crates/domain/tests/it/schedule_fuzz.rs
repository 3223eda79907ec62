//! Fuzzing the schedule document parser with proptest: any bytes, and any
//! field values in a well-shaped document, give a schedule or an error
//! naming a field; never a panic. A schedule that parses answers for any
//! instant without panicking.

use hotline_domain::{ScheduleDocument, Timestamp, WeeklySchedule};
use proptest::prelude::*;

fn time_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{1,2}:[0-9]{1,2}",
        "(2[0-4]|[01][0-9]):[0-5][0-9]",
        ".{0,8}",
    ]
}

fn date_text() -> impl Strategy<Value = String> {
    prop_oneof!["[0-9]{4}-[0-9]{2}-[0-9]{2}", ".{0,12}"]
}

fn zone_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("America/Edmonton".to_owned()),
        Just("Australia/Lord_Howe".to_owned()),
        Just("America/St_Johns".to_owned()),
        Just("UTC".to_owned()),
        ".{0,30}",
    ]
}

fn document() -> impl Strategy<Value = serde_json::Value> {
    let hours = prop::collection::vec(
        (
            any::<i64>().prop_map(|d| d % 9),
            time_text(),
            time_text(),
            any::<bool>(),
        ),
        0..12,
    );
    let closures = prop::collection::vec((date_text(), prop::option::of(".{0,20}")), 0..6);
    (zone_text(), hours, closures).prop_map(|(zone, hours, closures)| {
        serde_json::json!({
            "timezone": zone,
            "hours": hours.iter().map(|(day, start, end, active)| serde_json::json!({
                "day_of_week": day, "start_time": start, "end_time": end, "is_active": active
            })).collect::<Vec<_>>(),
            "closures": closures.iter().map(|(date, reason)| serde_json::json!({
                "date": date, "reason": reason
            })).collect::<Vec<_>>(),
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn any_bytes_are_refused_or_read_without_panicking(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        if let Ok(document) = serde_json::from_slice::<ScheduleDocument>(&bytes) {
            let _ = WeeklySchedule::from_document(&document);
        }
    }

    #[test]
    fn any_field_values_give_a_schedule_or_a_named_field(
        value in document(),
        seconds in -2_000_000_000i64..4_000_000_000i64,
    ) {
        let document: ScheduleDocument = serde_json::from_value(value).map_err(|e| TestCaseError::fail(e.to_string()))?;
        match WeeklySchedule::from_document(&document) {
            Ok(schedule) => {
                let at = Timestamp::from_second(seconds).map_err(|e| TestCaseError::fail(e.to_string()))?;
                let status = schedule.status(at);
                prop_assert_eq!(status.open, schedule.is_open(at));
                let _ = schedule.to_document();
            }
            Err(error) => {
                let field = error.field.as_str();
                prop_assert!(
                    field == "timezone" || field.starts_with("hours[") || field.starts_with("closures[") || field == "hours" || field == "closures",
                    "unexpected field {field}"
                );
            }
        }
    }
}
