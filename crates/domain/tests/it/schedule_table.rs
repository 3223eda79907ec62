//! Table tests of schedule semantics away from DST transitions.
//!
//! America/Edmonton is on MST (UTC-7) throughout; 2026-11-23 is a Monday.

use crate::helpers::{Expect, check_rows, schedule};

const EDMONTON_MON_9_17: &str = r#"{"timezone": "America/Edmonton",
    "hours": [{"day_of_week": 1, "start_time": "09:00", "end_time": "17:00"}]}"#;

#[test]
fn plain_hours_with_exact_start_and_end() {
    check_rows(
        &schedule(EDMONTON_MON_9_17),
        &[
            Expect {
                name: "mid-afternoon",
                at: "2026-11-23T14:00:00-07:00",
                open: true,
                next_open: Some("2026-11-23T14:00:00-07:00"),
                next_close: Some("2026-11-23T17:00:00-07:00"),
            },
            Expect {
                name: "exact start is open",
                at: "2026-11-23T09:00:00-07:00",
                open: true,
                next_open: Some("2026-11-23T09:00:00-07:00"),
                next_close: Some("2026-11-23T17:00:00-07:00"),
            },
            Expect {
                name: "a second before start",
                at: "2026-11-23T08:59:59-07:00",
                open: false,
                next_open: Some("2026-11-23T09:00:00-07:00"),
                next_close: None,
            },
            Expect {
                name: "exact end is closed",
                at: "2026-11-23T17:00:00-07:00",
                open: false,
                next_open: Some("2026-11-30T09:00:00-07:00"),
                next_close: None,
            },
            Expect {
                name: "evening",
                at: "2026-11-23T18:00:00-07:00",
                open: false,
                next_open: Some("2026-11-30T09:00:00-07:00"),
                next_close: None,
            },
            Expect {
                name: "closed day",
                at: "2026-11-24T10:00:00-07:00",
                open: false,
                next_open: Some("2026-11-30T09:00:00-07:00"),
                next_close: None,
            },
        ],
    );
}

#[test]
fn overnight_shift_is_open_after_midnight() {
    let friday_night = schedule(
        r#"{"timezone": "America/Edmonton",
            "hours": [{"day_of_week": 5, "start_time": "20:00", "end_time": "08:00"}]}"#,
    );
    check_rows(
        &friday_night,
        &[
            Expect {
                name: "Saturday 03:00",
                at: "2026-11-28T03:00:00-07:00",
                open: true,
                next_open: Some("2026-11-28T03:00:00-07:00"),
                next_close: Some("2026-11-28T08:00:00-07:00"),
            },
            Expect {
                name: "Friday just before",
                at: "2026-11-27T19:59:00-07:00",
                open: false,
                next_open: Some("2026-11-27T20:00:00-07:00"),
                next_close: None,
            },
            Expect {
                name: "Saturday 08:00 is closed",
                at: "2026-11-28T08:00:00-07:00",
                open: false,
                next_open: Some("2026-12-04T20:00:00-07:00"),
                next_close: None,
            },
            Expect {
                name: "Friday morning is not the previous week's shift",
                at: "2026-11-27T03:00:00-07:00",
                open: false,
                next_open: Some("2026-11-27T20:00:00-07:00"),
                next_close: None,
            },
        ],
    );
}

#[test]
fn split_shifts() {
    let split = schedule(
        r#"{"timezone": "America/Edmonton", "hours": [
            {"day_of_week": 1, "start_time": "09:00", "end_time": "12:00"},
            {"day_of_week": 1, "start_time": "13:00", "end_time": "17:00"}]}"#,
    );
    check_rows(
        &split,
        &[
            Expect {
                name: "morning shift",
                at: "2026-11-23T10:00:00-07:00",
                open: true,
                next_open: Some("2026-11-23T10:00:00-07:00"),
                next_close: Some("2026-11-23T12:00:00-07:00"),
            },
            Expect {
                name: "lunch",
                at: "2026-11-23T12:30:00-07:00",
                open: false,
                next_open: Some("2026-11-23T13:00:00-07:00"),
                next_close: None,
            },
            Expect {
                name: "afternoon shift",
                at: "2026-11-23T13:00:00-07:00",
                open: true,
                next_open: Some("2026-11-23T13:00:00-07:00"),
                next_close: Some("2026-11-23T17:00:00-07:00"),
            },
        ],
    );
}

#[test]
fn end_equal_to_start_lasts_24_hours() {
    let day_long = schedule(
        r#"{"timezone": "America/Edmonton",
            "hours": [{"day_of_week": 1, "start_time": "09:00", "end_time": "09:00"}]}"#,
    );
    check_rows(
        &day_long,
        &[
            Expect {
                name: "Tuesday 08:59",
                at: "2026-11-24T08:59:00-07:00",
                open: true,
                next_open: Some("2026-11-24T08:59:00-07:00"),
                next_close: Some("2026-11-24T09:00:00-07:00"),
            },
            Expect {
                name: "Tuesday 09:00",
                at: "2026-11-24T09:00:00-07:00",
                open: false,
                next_open: Some("2026-11-30T09:00:00-07:00"),
                next_close: None,
            },
        ],
    );
}

#[test]
fn midnight_ends_as_24_00_or_00_00_and_back_to_back_occurrences_merge() {
    for end in ["24:00", "00:00"] {
        let evening = schedule(&format!(
            r#"{{"timezone": "America/Edmonton",
                "hours": [{{"day_of_week": 1, "start_time": "18:00", "end_time": "{end}"}}]}}"#
        ));
        check_rows(
            &evening,
            &[Expect {
                name: "Monday 23:59",
                at: "2026-11-23T23:59:00-07:00",
                open: true,
                next_open: Some("2026-11-23T23:59:00-07:00"),
                next_close: Some("2026-11-24T00:00:00-07:00"),
            }],
        );
    }
    let merged = schedule(
        r#"{"timezone": "America/Edmonton", "hours": [
            {"day_of_week": 1, "start_time": "18:00", "end_time": "24:00"},
            {"day_of_week": 2, "start_time": "00:00", "end_time": "06:00"},
            {"day_of_week": 2, "start_time": "05:00", "end_time": "07:00"}]}"#,
    );
    check_rows(
        &merged,
        &[Expect {
            name: "stretch runs over midnight and an overlap",
            at: "2026-11-23T19:00:00-07:00",
            open: true,
            next_open: Some("2026-11-23T19:00:00-07:00"),
            next_close: Some("2026-11-24T07:00:00-07:00"),
        }],
    );
}

#[test]
fn inactive_rows_never_open() {
    let inactive = schedule(
        r#"{"timezone": "America/Edmonton", "hours": [
            {"day_of_week": 1, "start_time": "09:00", "end_time": "17:00", "is_active": false}]}"#,
    );
    check_rows(
        &inactive,
        &[Expect {
            name: "Monday noon",
            at: "2026-11-23T12:00:00-07:00",
            open: false,
            next_open: None,
            next_close: None,
        }],
    );
}

#[test]
fn closures_remove_occurrences_that_start_on_the_date() {
    let closed_monday = schedule(
        r#"{"timezone": "America/Edmonton",
            "hours": [{"day_of_week": 1, "start_time": "09:00", "end_time": "17:00"}],
            "closures": [{"date": "2026-11-23", "reason": "Staff training"}]}"#,
    );
    check_rows(
        &closed_monday,
        &[Expect {
            name: "closed Monday",
            at: "2026-11-23T10:00:00-07:00",
            open: false,
            next_open: Some("2026-11-30T09:00:00-07:00"),
            next_close: None,
        }],
    );

    let overnight_closed_on_start_day = schedule(
        r#"{"timezone": "America/Edmonton",
            "hours": [{"day_of_week": 5, "start_time": "20:00", "end_time": "08:00"}],
            "closures": [{"date": "2026-11-27"}]}"#,
    );
    check_rows(
        &overnight_closed_on_start_day,
        &[Expect {
            name: "after midnight of a closed Friday's shift",
            at: "2026-11-28T03:00:00-07:00",
            open: false,
            next_open: Some("2026-12-04T20:00:00-07:00"),
            next_close: None,
        }],
    );

    let overnight_closed_day_after = schedule(
        r#"{"timezone": "America/Edmonton",
            "hours": [{"day_of_week": 5, "start_time": "20:00", "end_time": "08:00"}],
            "closures": [{"date": "2026-11-28"}]}"#,
    );
    check_rows(
        &overnight_closed_day_after,
        &[Expect {
            name: "Friday's shift runs on into a closed Saturday",
            at: "2026-11-28T03:00:00-07:00",
            open: true,
            next_open: Some("2026-11-28T03:00:00-07:00"),
            next_close: Some("2026-11-28T08:00:00-07:00"),
        }],
    );
}

const WEEKDAYS_9_17_WITH_HOLIDAYS: &str = r#"{"timezone": "America/Edmonton", "hours": [
    {"day_of_week": 1, "start_time": "09:00", "end_time": "17:00"},
    {"day_of_week": 2, "start_time": "09:00", "end_time": "17:00"},
    {"day_of_week": 3, "start_time": "09:00", "end_time": "17:00"},
    {"day_of_week": 4, "start_time": "09:00", "end_time": "17:00"},
    {"day_of_week": 5, "start_time": "09:00", "end_time": "17:00"}],
    "closures": [
    {"date": "2026-12-24"}, {"date": "2026-12-25", "reason": "Christmas Day"},
    {"date": "2026-12-28"}, {"date": "2026-12-29"}, {"date": "2026-12-30"},
    {"date": "2026-12-31"}, {"date": "2027-01-01", "reason": "New Year's Day"}]}"#;

#[test]
fn next_open_across_weekends_and_runs_of_closures() {
    check_rows(
        &schedule(WEEKDAYS_9_17_WITH_HOLIDAYS),
        &[
            Expect {
                name: "Friday evening to Monday",
                at: "2026-11-27T17:30:00-07:00",
                open: false,
                next_open: Some("2026-11-30T09:00:00-07:00"),
                next_close: None,
            },
            Expect {
                name: "Saturday to Monday",
                at: "2026-11-28T12:00:00-07:00",
                open: false,
                next_open: Some("2026-11-30T09:00:00-07:00"),
                next_close: None,
            },
            Expect {
                name: "over the holidays",
                at: "2026-12-23T18:00:00-07:00",
                open: false,
                next_open: Some("2027-01-04T09:00:00-07:00"),
                next_close: None,
            },
        ],
    );
}

#[test]
fn around_the_clock_closes_only_for_a_closure() {
    let always = schedule(
        r#"{"timezone": "America/Edmonton", "hours": [
            {"day_of_week": 0, "start_time": "00:00", "end_time": "00:00"},
            {"day_of_week": 1, "start_time": "00:00", "end_time": "00:00"},
            {"day_of_week": 2, "start_time": "00:00", "end_time": "00:00"},
            {"day_of_week": 3, "start_time": "00:00", "end_time": "00:00"},
            {"day_of_week": 4, "start_time": "00:00", "end_time": "00:00"},
            {"day_of_week": 5, "start_time": "00:00", "end_time": "00:00"},
            {"day_of_week": 6, "start_time": "00:00", "end_time": "00:00"}],
            "closures": [{"date": "2026-12-25"}]}"#,
    );
    check_rows(
        &always,
        &[
            Expect {
                name: "a month before the closure",
                at: "2026-11-24T10:00:00-07:00",
                open: true,
                next_open: Some("2026-11-24T10:00:00-07:00"),
                next_close: Some("2026-12-25T00:00:00-07:00"),
            },
            Expect {
                name: "on the closure",
                at: "2026-12-25T12:00:00-07:00",
                open: false,
                next_open: Some("2026-12-26T00:00:00-07:00"),
                next_close: None,
            },
            Expect {
                name: "after the closure, open past the horizon",
                at: "2026-12-26T00:00:00-07:00",
                open: true,
                next_open: Some("2026-12-26T00:00:00-07:00"),
                next_close: None,
            },
        ],
    );
}
