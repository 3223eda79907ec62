//! Table tests pinning schedule evaluation across real DST transitions.
//!
//! Transitions used (2026): America/Edmonton springs forward 03-08 02:00 and
//! falls back 11-01 02:00; Europe/London 03-29 01:00 and 10-25 02:00;
//! Australia/Sydney (southern hemisphere) falls back 04-05 03:00 and springs
//! forward 10-04 02:00; Australia/Adelaide (UTC+9:30) springs forward 10-04
//! 02:00; Australia/Lord_Howe moves by 30 minutes (10-04 02:00 to 02:30,
//! 04-05 02:00 back to 01:30); America/St_Johns (UTC-3:30) springs forward
//! 03-08 02:00 and falls back 11-01 02:00 (01:00 in standard time).

use crate::helpers::{Expect, check_rows, schedule};

fn sunday(timezone: &str, start: &str, end: &str) -> String {
    format!(
        r#"{{"timezone": "{timezone}",
            "hours": [{{"day_of_week": 0, "start_time": "{start}", "end_time": "{end}"}}]}}"#
    )
}

#[test]
fn edmonton_spring_forward_gap_moves_times_later() {
    check_rows(
        &schedule(&sunday("America/Edmonton", "02:30", "04:00")),
        &[
            Expect {
                name: "start 02:30 does not exist and becomes 03:30 MDT",
                at: "2026-03-08T03:15:00-06:00",
                open: false,
                next_open: Some("2026-03-08T03:30:00-06:00"),
                next_close: None,
            },
            Expect {
                name: "after the moved start",
                at: "2026-03-08T03:45:00-06:00",
                open: true,
                next_open: Some("2026-03-08T03:45:00-06:00"),
                next_close: Some("2026-03-08T04:00:00-06:00"),
            },
        ],
    );
    check_rows(
        &schedule(&sunday("America/Edmonton", "01:00", "02:30")),
        &[Expect {
            name: "end 02:30 in the gap becomes 03:30 MDT",
            at: "2026-03-08T03:10:00-06:00",
            open: true,
            next_open: Some("2026-03-08T03:10:00-06:00"),
            next_close: Some("2026-03-08T03:30:00-06:00"),
        }],
    );
}

#[test]
fn edmonton_fall_back_fold_takes_the_earlier_instant() {
    check_rows(
        &schedule(&sunday("America/Edmonton", "01:30", "05:00")),
        &[
            Expect {
                name: "01:30 starts at its first (MDT) occurrence",
                at: "2026-11-01T07:29:00Z",
                open: false,
                next_open: Some("2026-11-01T01:30:00-06:00"),
                next_close: None,
            },
            Expect {
                name: "second pass of 01:15 is inside the stretch",
                at: "2026-11-01T01:15:00-07:00",
                open: true,
                next_open: Some("2026-11-01T01:15:00-07:00"),
                next_close: Some("2026-11-01T05:00:00-07:00"),
            },
        ],
    );
    let saturday_night = r#"{"timezone": "America/Edmonton",
        "hours": [{"day_of_week": 6, "start_time": "22:00", "end_time": "01:30"}]}"#;
    check_rows(
        &schedule(saturday_night),
        &[
            Expect {
                name: "end 01:30 is the first (MDT) 01:30",
                at: "2026-11-01T01:15:00-06:00",
                open: true,
                next_open: Some("2026-11-01T01:15:00-06:00"),
                next_close: Some("2026-11-01T01:30:00-06:00"),
            },
            Expect {
                name: "second pass of 01:15 is after the end",
                at: "2026-11-01T01:15:00-07:00",
                open: false,
                next_open: Some("2026-11-07T22:00:00-07:00"),
                next_close: None,
            },
        ],
    );
}

#[test]
fn london_gap_and_fold() {
    check_rows(
        &schedule(&sunday("Europe/London", "00:30", "01:30")),
        &[Expect {
            name: "end 01:30 in the gap becomes 02:30 BST",
            at: "2026-03-29T02:15:00+01:00",
            open: true,
            next_open: Some("2026-03-29T02:15:00+01:00"),
            next_close: Some("2026-03-29T02:30:00+01:00"),
        }],
    );
    check_rows(
        &schedule(&sunday("Europe/London", "01:00", "02:00")),
        &[Expect {
            name: "01:00-02:00 on fall-back day lasts two hours",
            at: "2026-10-25T01:30:00+00:00",
            open: true,
            next_open: Some("2026-10-25T01:30:00+00:00"),
            next_close: Some("2026-10-25T02:00:00+00:00"),
        }],
    );
}

#[test]
fn sydney_southern_hemisphere() {
    check_rows(
        &schedule(&sunday("Australia/Sydney", "02:30", "03:30")),
        &[Expect {
            name: "April fall-back: 02:30 AEDT to 03:30 AEST lasts two hours",
            at: "2026-04-05T02:45:00+10:00",
            open: true,
            next_open: Some("2026-04-05T02:45:00+10:00"),
            next_close: Some("2026-04-05T03:30:00+10:00"),
        }],
    );
    check_rows(
        &schedule(&sunday("Australia/Sydney", "02:00", "02:30")),
        &[
            Expect {
                name: "October gap: 02:00 becomes 03:00 AEDT",
                at: "2026-10-04T02:59:00+11:00",
                open: false,
                next_open: Some("2026-10-04T03:00:00+11:00"),
                next_close: None,
            },
            Expect {
                name: "inside the moved occurrence",
                at: "2026-10-04T03:10:00+11:00",
                open: true,
                next_open: Some("2026-10-04T03:10:00+11:00"),
                next_close: Some("2026-10-04T03:30:00+11:00"),
            },
        ],
    );
}

#[test]
fn adelaide_half_hour_offset() {
    check_rows(
        &schedule(&sunday("Australia/Adelaide", "09:00", "17:00")),
        &[
            Expect {
                name: "week before DST, UTC+9:30",
                at: "2026-09-26T23:00:00Z",
                open: false,
                next_open: Some("2026-09-27T09:00:00+09:30"),
                next_close: None,
            },
            Expect {
                name: "DST day, UTC+10:30",
                at: "2026-10-03T22:29:00Z",
                open: false,
                next_open: Some("2026-10-04T09:00:00+10:30"),
                next_close: None,
            },
            Expect {
                name: "DST day, open",
                at: "2026-10-04T09:00:00+10:30",
                open: true,
                next_open: Some("2026-10-04T09:00:00+10:30"),
                next_close: Some("2026-10-04T17:00:00+10:30"),
            },
        ],
    );
    check_rows(
        &schedule(&sunday("Australia/Adelaide", "02:15", "02:45")),
        &[Expect {
            name: "gap moves 02:15-02:45 to 03:15-03:45 ACDT",
            at: "2026-10-04T03:30:00+10:30",
            open: true,
            next_open: Some("2026-10-04T03:30:00+10:30"),
            next_close: Some("2026-10-04T03:45:00+10:30"),
        }],
    );
}

#[test]
fn lord_howe_thirty_minute_shift() {
    check_rows(
        &schedule(&sunday("Australia/Lord_Howe", "02:10", "02:20")),
        &[
            Expect {
                name: "gap moves 02:10 to 02:40",
                at: "2026-10-04T02:35:00+11:00",
                open: false,
                next_open: Some("2026-10-04T02:40:00+11:00"),
                next_close: None,
            },
            Expect {
                name: "inside",
                at: "2026-10-04T02:45:00+11:00",
                open: true,
                next_open: Some("2026-10-04T02:45:00+11:00"),
                next_close: Some("2026-10-04T02:50:00+11:00"),
            },
        ],
    );
    check_rows(
        &schedule(&sunday("Australia/Lord_Howe", "01:45", "02:15")),
        &[Expect {
            name: "fold: 01:45 (+11) to 02:15 (+10:30) lasts an hour",
            at: "2026-04-05T01:45:00+10:30",
            open: true,
            next_open: Some("2026-04-05T01:45:00+10:30"),
            next_close: Some("2026-04-05T02:15:00+10:30"),
        }],
    );
}

#[test]
fn st_johns_empty_occurrence_and_fold() {
    check_rows(
        &schedule(&sunday("America/St_Johns", "02:30", "03:00")),
        &[Expect {
            name: "02:30 moves to 03:30, after the 03:00 end: empty",
            at: "2026-03-08T03:15:00-02:30",
            open: false,
            next_open: Some("2026-03-15T02:30:00-02:30"),
            next_close: None,
        }],
    );
    check_rows(
        &schedule(&sunday("America/St_Johns", "00:30", "01:30")),
        &[Expect {
            name: "second pass of 01:15 is after the first 01:30",
            at: "2026-11-01T01:15:00-03:30",
            open: false,
            next_open: Some("2026-11-08T00:30:00-03:30"),
            next_close: None,
        }],
    );
}

#[test]
fn kolkata_fixed_half_hour_offset() {
    let monday = r#"{"timezone": "Asia/Kolkata",
        "hours": [{"day_of_week": 1, "start_time": "09:00", "end_time": "18:00"}]}"#;
    check_rows(
        &schedule(monday),
        &[Expect {
            name: "09:00 IST is 03:30 UTC",
            at: "2026-11-23T03:30:00Z",
            open: true,
            next_open: Some("2026-11-23T03:30:00Z"),
            next_close: Some("2026-11-23T12:30:00Z"),
        }],
    );
}
