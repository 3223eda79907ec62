//! Holidays and special hours (CONTRACT section 8) against published
//! calendars, their precedence, their validation, and the preview agreeing
//! with `is_open`, `next_open` and `next_close`.

use hotline_domain::schedule::{ScheduleProblem, SpecialHours};
use hotline_domain::{ScheduleDocument, Timestamp, WeeklySchedule};
use jiff::civil::Date;
use proptest::prelude::*;

use crate::helpers::{instant, schedule};

fn date(text: &str) -> Date {
    text.parse().unwrap_or_else(|e| panic!("{e}"))
}

/// Open around the clock every day in New York, with these holidays.
fn always_open_with(holidays: &str) -> WeeklySchedule {
    schedule(&format!(
        r#"{{"timezone": "America/New_York",
            "hours": [{}],
            "holidays": [{holidays}]}}"#,
        (0..7)
            .map(|day| format!(
                r#"{{"day_of_week": {day}, "start_time": "00:00", "end_time": "00:00"}}"#
            ))
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

/// The dates of `year` the schedule is closed on, with their notes.
fn closed_dates(schedule: &WeeklySchedule, year: i16) -> Vec<(String, Option<String>)> {
    let first = Date::new(year, 1, 1).unwrap_or_else(|e| panic!("{e}"));
    let days = if first.in_leap_year() { 366 } else { 365 };
    schedule
        .preview(first, days)
        .into_iter()
        .filter(|day| day.open.is_empty())
        .map(|day| (day.date.to_string(), day.note))
        .collect()
}

#[test]
fn holiday_rules_match_published_calendars() {
    // (rule, year, dates it closes in that year), from the United States
    // Office of Personnel Management, the Government of Canada and GOV.UK.
    let table: &[(&str, i16, &[&str])] = &[
        // United States
        (
            r#"{"name": "Thanksgiving", "rule": "nth_weekday", "month": 11, "weekday": 4, "nth": 4}"#,
            2026,
            &["2026-11-26"],
        ),
        (
            r#"{"name": "Thanksgiving", "rule": "nth_weekday", "month": 11, "weekday": 4, "nth": 4}"#,
            2027,
            &["2027-11-25"],
        ),
        (
            r#"{"name": "Memorial Day", "rule": "nth_weekday", "month": 5, "weekday": 1, "nth": -1}"#,
            2026,
            &["2026-05-25"],
        ),
        (
            r#"{"name": "Martin Luther King Jr. Day", "rule": "nth_weekday", "month": 1, "weekday": 1, "nth": 3}"#,
            2026,
            &["2026-01-19"],
        ),
        (
            r#"{"name": "Labor Day", "rule": "nth_weekday", "month": 9, "weekday": 1, "nth": 1}"#,
            2026,
            &["2026-09-07"],
        ),
        (
            r#"{"name": "Independence Day", "rule": "date", "month": 7, "day": 4, "observed": "nearest_weekday"}"#,
            2026,
            &["2026-07-03", "2026-07-04"],
        ),
        (
            r#"{"name": "Independence Day", "rule": "date", "month": 7, "day": 4, "observed": "nearest_weekday"}"#,
            2027,
            &["2027-07-04", "2027-07-05"],
        ),
        (
            r#"{"name": "Christmas Day", "rule": "date", "month": 12, "day": 25, "observed": "nearest_weekday"}"#,
            2027,
            &["2027-12-24", "2027-12-25"],
        ),
        (
            r#"{"name": "Christmas Day", "rule": "date", "month": 12, "day": 25, "observed": "nearest_weekday"}"#,
            2026,
            &["2026-12-25"],
        ),
        // New Year's Day 2028 is a Saturday: observed Friday 31 December 2027.
        (
            r#"{"name": "New Year's Day", "rule": "date", "month": 1, "day": 1, "observed": "nearest_weekday"}"#,
            2027,
            &["2027-01-01", "2027-12-31"],
        ),
        // Canada
        (
            r#"{"name": "Victoria Day", "rule": "weekday_on_or_before", "month": 5, "day": 24, "weekday": 1}"#,
            2026,
            &["2026-05-18"],
        ),
        (
            r#"{"name": "Victoria Day", "rule": "weekday_on_or_before", "month": 5, "day": 24, "weekday": 1}"#,
            2027,
            &["2027-05-24"],
        ),
        (
            r#"{"name": "Good Friday", "rule": "easter", "offset_days": -2}"#,
            2026,
            &["2026-04-03"],
        ),
        (
            r#"{"name": "Good Friday", "rule": "easter", "offset_days": -2}"#,
            2027,
            &["2027-03-26"],
        ),
        (
            r#"{"name": "Thanksgiving (Canada)", "rule": "nth_weekday", "month": 10, "weekday": 1, "nth": 2}"#,
            2026,
            &["2026-10-12"],
        ),
        // United Kingdom, England and Wales
        (
            r#"{"name": "Easter Monday", "rule": "easter", "offset_days": 1}"#,
            2026,
            &["2026-04-06"],
        ),
        (
            r#"{"name": "Early May bank holiday", "rule": "nth_weekday", "month": 5, "weekday": 1, "nth": 1}"#,
            2026,
            &["2026-05-04"],
        ),
        (
            r#"{"name": "Summer bank holiday", "rule": "nth_weekday", "month": 8, "weekday": 1, "nth": -1}"#,
            2026,
            &["2026-08-31"],
        ),
        (
            r#"{"name": "Boxing Day", "rule": "date", "month": 12, "day": 26, "observed": "next_monday"}"#,
            2026,
            &["2026-12-26", "2026-12-28"],
        ),
        (
            r#"{"name": "Boxing Day", "rule": "date", "month": 12, "day": 26, "observed": "next_monday"}"#,
            2027,
            &["2027-12-26", "2027-12-27"],
        ),
        (
            r#"{"name": "Easter Monday", "rule": "easter", "offset_days": 1}"#,
            2027,
            &["2027-03-29"],
        ),
        (
            r#"{"name": "Memorial Day", "rule": "nth_weekday", "month": 5, "weekday": 1, "nth": -1}"#,
            2027,
            &["2027-05-31"],
        ),
        // Edge cases: 29 February only in leap years; no fifth Monday.
        (
            r#"{"name": "Leap day", "rule": "date", "month": 2, "day": 29}"#,
            2027,
            &[],
        ),
        (
            r#"{"name": "Leap day", "rule": "date", "month": 2, "day": 29}"#,
            2028,
            &["2028-02-29"],
        ),
        (
            r#"{"name": "Fifth Monday", "rule": "nth_weekday", "month": 2, "weekday": 1, "nth": 5}"#,
            2026,
            &[],
        ),
        (
            r#"{"name": "Fifth Monday", "rule": "nth_weekday", "month": 3, "weekday": 1, "nth": 5}"#,
            2026,
            &["2026-03-30"],
        ),
    ];
    let mut failures = Vec::new();
    for (rule, year, expected) in table {
        let schedule = always_open_with(rule);
        let closed = closed_dates(&schedule, *year);
        let dates: Vec<&str> = closed.iter().map(|(d, _)| d.as_str()).collect();
        if dates != *expected {
            failures.push(format!(
                "{rule} in {year}: closed {dates:?}, expected {expected:?}"
            ));
        }
        let name: serde_json::Value = serde_json::from_str(rule).unwrap_or_else(|e| panic!("{e}"));
        for (day, note) in &closed {
            if note.as_deref() != name["name"].as_str() {
                failures.push(format!("{day}: note {note:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

const WEEKDAYS_9_TO_5: &str = r#"
    {"day_of_week": 1, "start_time": "09:00", "end_time": "17:00"},
    {"day_of_week": 2, "start_time": "09:00", "end_time": "17:00"},
    {"day_of_week": 3, "start_time": "09:00", "end_time": "17:00"},
    {"day_of_week": 4, "start_time": "09:00", "end_time": "17:00"},
    {"day_of_week": 5, "start_time": "09:00", "end_time": "12:00"},
    {"day_of_week": 5, "start_time": "13:00", "end_time": "17:00"}"#;

#[test]
fn special_hours_come_first_then_closures_and_holidays_then_the_week() {
    let schedule = schedule(&format!(
        r#"{{"timezone": "America/Edmonton", "hours": [{WEEKDAYS_9_TO_5}],
            "closures": [{{"date": "2026-12-28", "reason": "Inventory"}}],
            "holidays": [{{"name": "Christmas Day", "rule": "date", "month": 12, "day": 25}},
                         {{"name": "Boxing Day", "rule": "date", "month": 12, "day": 26, "observed": "next_monday"}}],
            "special_hours": [
              {{"date": "2026-12-24", "hours": [{{"start_time": "09:00", "end_time": "13:00"}}], "reason": "Christmas Eve"}},
              {{"date": "2026-12-25", "hours": [{{"start_time": "10:00", "end_time": "12:00"}}], "reason": "Emergency line"}},
              {{"date": "2026-12-31", "hours": []}}]}}"#
    ));
    let preview = schedule.preview(date("2026-12-24"), 9);
    let summary: Vec<(String, usize, Option<String>)> = preview
        .iter()
        .map(|d| (d.date.to_string(), d.open.len(), d.note.clone()))
        .collect();
    let expected: Vec<(String, usize, Option<String>)> = [
        ("2026-12-24", 1, Some("Christmas Eve")),
        ("2026-12-25", 1, Some("Emergency line")),
        ("2026-12-26", 0, Some("Boxing Day")),
        ("2026-12-27", 0, None),
        // A closure and Boxing Day's Monday: the closure's reason.
        ("2026-12-28", 0, Some("Inventory")),
        ("2026-12-29", 1, None),
        ("2026-12-30", 1, None),
        ("2026-12-31", 0, None),
        ("2027-01-01", 2, None),
    ]
    .into_iter()
    .map(|(d, n, note)| (d.to_owned(), n, note.map(str::to_owned)))
    .collect();
    assert_eq!(summary, expected);
    // Christmas Eve 09:00-13:00 replaces the weekly 09:00-17:00.
    assert!(schedule.is_open(instant("2026-12-24T12:59:00-07:00")));
    assert!(!schedule.is_open(instant("2026-12-24T13:00:00-07:00")));
    assert_eq!(
        schedule.next_close(instant("2026-12-24T10:00:00-07:00")),
        Some(instant("2026-12-24T13:00:00-07:00"))
    );
    // On Christmas Day the special hours beat the holiday.
    assert!(schedule.is_open(instant("2026-12-25T11:00:00-07:00")));
    // From Christmas evening the next opening skips the holiday, the
    // weekend, the Monday closure and observed day: Tuesday 09:00.
    assert_eq!(
        schedule.next_open(instant("2026-12-25T18:00:00-07:00")),
        Some(instant("2026-12-29T09:00:00-07:00"))
    );
}

#[test]
fn special_hours_across_midnight_and_on_a_dst_change_follow_section_3() {
    let schedule = schedule(
        r#"{"timezone": "America/New_York", "hours": [],
            "special_hours": [
              {"date": "2026-03-08", "hours": [{"start_time": "01:00", "end_time": "04:00"}], "reason": "Spring forward"},
              {"date": "2026-11-01", "hours": [{"start_time": "00:30", "end_time": "01:30"}]},
              {"date": "2026-12-31", "hours": [{"start_time": "20:00", "end_time": "02:00"}], "reason": "New Year's Eve"}]}"#,
    );
    // 01:00 EST to 04:00 EDT is two real hours.
    let spring = schedule.preview(date("2026-03-08"), 1);
    assert_eq!(
        spring[0].open,
        [(
            instant("2026-03-08T06:00:00Z"),
            instant("2026-03-08T08:00:00Z")
        )]
    );
    // 01:30 exists twice on 1 November: the earlier one ends the interval.
    let fall = schedule.preview(date("2026-11-01"), 1);
    assert_eq!(
        fall[0].open,
        [(
            instant("2026-11-01T04:30:00Z"),
            instant("2026-11-01T05:30:00Z")
        )]
    );
    // Over midnight into the new year, listed under the date it starts on.
    let eve = schedule.preview(date("2026-12-31"), 2);
    assert_eq!(
        eve[0].open,
        [(
            instant("2027-01-01T01:00:00Z"),
            instant("2027-01-01T07:00:00Z")
        )]
    );
    assert!(eve[1].open.is_empty());
    assert!(schedule.is_open(instant("2027-01-01T01:30:00-05:00")));
    // Nothing weekly: once the last special hours pass, it never opens.
    assert_eq!(schedule.next_open(instant("2027-01-02T00:00:00Z")), None);
}

#[test]
fn next_open_looks_past_a_long_run_of_yearly_holidays() {
    // Open on Fridays only, and every Friday of January is a holiday.
    let fridays = schedule(
        r#"{"timezone": "UTC",
            "hours": [{"day_of_week": 5, "start_time": "09:00", "end_time": "17:00"}],
            "holidays": [
              {"rule": "nth_weekday", "month": 1, "weekday": 5, "nth": 1},
              {"rule": "nth_weekday", "month": 1, "weekday": 5, "nth": 2},
              {"rule": "nth_weekday", "month": 1, "weekday": 5, "nth": 3},
              {"rule": "nth_weekday", "month": 1, "weekday": 5, "nth": 4},
              {"rule": "nth_weekday", "month": 1, "weekday": 5, "nth": 5}]}"#,
    );
    assert_eq!(
        fridays.next_open(instant("2027-01-01T00:00:00Z")),
        Some(instant("2027-02-05T09:00:00Z"))
    );
    // With every Friday of every month a holiday it never opens, and says so.
    let every_friday: Vec<String> = (1..=12)
        .flat_map(|month| {
            [1, 2, 3, 4, 5].map(|nth| {
                format!(
                    r#"{{"rule": "nth_weekday", "month": {month}, "weekday": 5, "nth": {nth}}}"#
                )
            })
        })
        .collect();
    let never = schedule(&format!(
        r#"{{"timezone": "UTC",
            "hours": [{{"day_of_week": 5, "start_time": "09:00", "end_time": "17:00"}}],
            "holidays": [{}]}}"#,
        every_friday.join(",")
    ));
    assert_eq!(never.next_open(instant("2027-01-01T00:00:00Z")), None);
}

fn problem(json: &str) -> (String, ScheduleProblem) {
    let document: ScheduleDocument = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}"));
    match WeeklySchedule::from_document(&document) {
        Err(error) => (error.field, error.problem),
        Ok(_) => panic!("accepted {json}"),
    }
}

#[test]
fn bad_holidays_and_special_hours_name_their_field() {
    let cases: &[(&str, &str, &str)] = &[
        (
            r#"{"rule": "nth_weekday", "month": 11, "weekday": 4}"#,
            "holidays[0].nth",
            "missing_field",
        ),
        (
            r#"{"rule": "nth_weekday", "month": 11, "weekday": 4, "nth": 0}"#,
            "holidays[0].nth",
            "out_of_range",
        ),
        (
            r#"{"rule": "nth_weekday", "month": 11, "weekday": 7, "nth": 1}"#,
            "holidays[0].weekday",
            "out_of_range",
        ),
        (
            r#"{"rule": "easter", "offset_days": -2, "month": 4}"#,
            "holidays[0].month",
            "unexpected_field",
        ),
        (
            r#"{"rule": "easter", "offset_days": 101}"#,
            "holidays[0].offset_days",
            "out_of_range",
        ),
        (
            r#"{"rule": "date", "month": 2, "day": 30}"#,
            "holidays[0].day",
            "out_of_range",
        ),
        (
            r#"{"rule": "date", "month": 13, "day": 1}"#,
            "holidays[0].month",
            "out_of_range",
        ),
        (
            r#"{"rule": "date", "month": 12, "day": 25, "observed": "friday"}"#,
            "holidays[0].observed",
            "out_of_range",
        ),
        (
            r#"{"rule": "date", "month": 12, "day": 25, "colour": "red"}"#,
            "holidays[0].colour",
            "unexpected_field",
        ),
        (
            r#"{"name": "No rule"}"#,
            "holidays[0].rule",
            "missing_field",
        ),
        (
            r#"{"rule": "lunar", "month": 1}"#,
            "holidays[0].rule",
            "out_of_range",
        ),
        (
            r#"{"rule": "weekday_on_or_before", "month": 5, "weekday": 1}"#,
            "holidays[0].day",
            "missing_field",
        ),
    ];
    let mut failures = Vec::new();
    for (holiday, field, code) in cases {
        let (got_field, got) = problem(&format!(
            r#"{{"timezone": "UTC", "holidays": [{holiday}]}}"#
        ));
        if (got_field.as_str(), got.code()) != (*field, *code) {
            failures.push(format!("{holiday}: {got_field} {} ({got})", got.code()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    let (field, got) = problem(
        r#"{"timezone": "UTC", "special_hours": [
            {"date": "2026-12-24", "hours": []},
            {"date": "2026-12-24", "hours": [{"start_time": "09:00", "end_time": "12:00"}]}]}"#,
    );
    assert_eq!(
        (field.as_str(), got.code()),
        ("special_hours[1].date", "duplicate_date")
    );
    let (field, got) = problem(
        r#"{"timezone": "UTC", "special_hours": [
            {"date": "2026-12-24", "hours": [{"start_time": "9am", "end_time": "12:00"}]}]}"#,
    );
    assert_eq!(
        (field.as_str(), got.code()),
        ("special_hours[0].hours[0].start_time", "malformed_time")
    );
    let (field, _) = problem(r#"{"timezone": "UTC", "special_hours": [{"date": "2026-12-24"}]}"#);
    assert_eq!(field, "special_hours[0].hours");

    let many = |list: &str, entry: &str, n: usize| {
        format!(
            r#"{{"timezone": "UTC", "{list}": [{}]}}"#,
            vec![entry; n].join(",")
        )
    };
    let easter = r#"{"rule": "easter", "offset_days": 0}"#;
    assert_eq!(problem(&many("holidays", easter, 101)).0, "holidays");
    let closure = r#"{"date": "2026-12-25"}"#;
    assert_eq!(problem(&many("closures", closure, 401)).0, "closures");
    let fine: ScheduleDocument =
        serde_json::from_str(&many("holidays", easter, 100)).unwrap_or_else(|e| panic!("{e}"));
    assert!(WeeklySchedule::from_document(&fine).is_ok());
}

#[test]
fn a_schedule_round_trips_through_its_document() {
    let original = schedule(&format!(
        r#"{{"timezone": "America/Edmonton", "hours": [{WEEKDAYS_9_TO_5}],
            "holidays": [{{"name": "Thanksgiving", "rule": "nth_weekday", "month": 10, "weekday": 1, "nth": 2}},
                         {{"rule": "easter", "offset_days": -2}},
                         {{"name": "Canada Day", "rule": "date", "month": 7, "day": 1, "observed": "next_monday"}},
                         {{"name": "Victoria Day", "rule": "weekday_on_or_before", "month": 5, "day": 24, "weekday": 1}}],
            "special_hours": [{{"date": "2026-12-24", "hours": [{{"start_time": "09:00", "end_time": "13:00"}}], "reason": "Christmas Eve"}}]}}"#
    ));
    let again =
        WeeklySchedule::from_document(&original.to_document()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again, original);
    assert_eq!(again.holidays().len(), 4);
    let special: &[SpecialHours] = again.special_hours();
    assert_eq!(special[0].reason.as_deref(), Some("Christmas Eve"));
}

/// A random schedule: weekly shifts, a few holidays and special dates, in
/// a zone with DST.
fn random_schedule() -> impl Strategy<Value = WeeklySchedule> {
    let shift = (0..7_i64, 0..24_u8, 0..4_u8, 1..24_u8);
    let holiday = prop_oneof![
        (1..=12_i64, 1..=28_i64).prop_map(|(m, d)| format!(
            r#"{{"rule": "date", "month": {m}, "day": {d}, "observed": "nearest_weekday"}}"#
        )),
        (1..=12_i64, 0..7_i64, prop_oneof![Just(-1_i64), 1..=4_i64]).prop_map(|(m, w, n)| format!(
            r#"{{"rule": "nth_weekday", "month": {m}, "weekday": {w}, "nth": {n}}}"#
        )),
        (-60..=60_i64).prop_map(|o| format!(r#"{{"rule": "easter", "offset_days": {o}}}"#)),
    ];
    let special = (0..730_i64, 0..24_u8, 1..30_u8, any::<bool>());
    (
        prop::collection::vec(shift, 0..8),
        prop::collection::vec(holiday, 0..6),
        prop::collection::vec(special, 0..6),
    )
        .prop_map(|(shifts, holidays, specials)| {
            let hours: Vec<String> = shifts
                .iter()
                .map(|(day, start, quarter, length)| {
                    let end = (start + length) % 24;
                    format!(
                        r#"{{"day_of_week": {day}, "start_time": "{start:02}:{:02}", "end_time": "{end:02}:00"}}"#,
                        quarter * 15
                    )
                })
                .collect();
            let mut seen = std::collections::HashSet::new();
            let specials: Vec<String> = specials
                .iter()
                .filter(|(offset, ..)| seen.insert(*offset))
                .map(|(offset, start, length, closed)| {
                    let day = date("2026-01-01")
                        .checked_add(jiff::Span::new().days(*offset))
                        .unwrap_or_else(|e| panic!("{e}"));
                    let hours = if *closed {
                        String::new()
                    } else {
                        format!(
                            r#"{{"start_time": "{start:02}:00", "end_time": "{:02}:00"}}"#,
                            (u32::from(*start) + u32::from(*length)) % 24
                        )
                    };
                    format!(r#"{{"date": "{day}", "hours": [{hours}], "reason": "special"}}"#)
                })
                .collect();
            let mut unique_hours = hours.clone();
            unique_hours.sort();
            unique_hours.dedup();
            schedule(&format!(
                r#"{{"timezone": "America/Toronto", "hours": [{}], "holidays": [{}], "special_hours": [{}]}}"#,
                unique_hours.join(","),
                holidays.join(","),
                specials.join(",")
            ))
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn the_preview_agrees_with_is_open_next_open_and_next_close(
        schedule in random_schedule(),
        minutes in 0_i64..(700 * 24 * 60),
    ) {
        let at = Timestamp::from_second(1_767_243_600 + minutes * 60)
            .unwrap_or_else(|e| panic!("{e}"));
        let today = schedule.local_date_at(at);
        let from = today.checked_sub(jiff::Span::new().days(3)).unwrap_or(today);
        let preview = schedule.preview(from, 40);
        let intervals: Vec<(Timestamp, Timestamp)> =
            preview.iter().flat_map(|d| d.open.iter().copied()).collect();
        let covered = intervals.iter().any(|(s, e)| *s <= at && at < *e);
        prop_assert_eq!(schedule.is_open(at), covered);
        let next_start = intervals.iter().map(|(s, _)| *s).filter(|s| *s > at).min();
        match schedule.next_open(at) {
            Some(open) if open == at => prop_assert!(covered),
            Some(open) => {
                // Closed at `at`: the next opening is the preview's next start
                // when the window holds one.
                prop_assert!(!covered);
                if let Some(start) = next_start {
                    prop_assert_eq!(open, start);
                }
            }
            None => prop_assert!(next_start.is_none()),
        }
        if let Some(close) = schedule.next_close(at) {
            // The stretch ends where no preview interval covers it any more.
            prop_assert!(!intervals.iter().any(|(s, e)| *s <= close && close < *e));
            prop_assert!(intervals.iter().any(|(s, e)| *s <= at && at < *e));
        }
    }
}
