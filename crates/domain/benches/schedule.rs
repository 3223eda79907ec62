//! Benchmarks of schedule evaluation on a realistic client schedule:
//! weekdays 08:00-18:00 with a lunch split on Fridays, a Saturday morning,
//! a Friday night shift, and a year of statutory holidays; then the same
//! week with 20 yearly holiday rules and 50 special-hours dates.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use hotline_domain::{ScheduleDocument, Timestamp, WeeklySchedule};

const SCHEDULE: &str = r#"{"timezone": "America/Edmonton",
  "hours": [
    {"day_of_week": 1, "start_time": "08:00", "end_time": "18:00"},
    {"day_of_week": 2, "start_time": "08:00", "end_time": "18:00"},
    {"day_of_week": 3, "start_time": "08:00", "end_time": "18:00"},
    {"day_of_week": 4, "start_time": "08:00", "end_time": "18:00"},
    {"day_of_week": 5, "start_time": "08:00", "end_time": "12:00"},
    {"day_of_week": 5, "start_time": "13:00", "end_time": "17:00"},
    {"day_of_week": 5, "start_time": "20:00", "end_time": "08:00"},
    {"day_of_week": 6, "start_time": "09:00", "end_time": "13:00"}],
  "closures": [
    {"date": "2026-01-01"}, {"date": "2026-02-16"}, {"date": "2026-04-03"},
    {"date": "2026-05-18"}, {"date": "2026-07-01"}, {"date": "2026-08-03"},
    {"date": "2026-09-07"}, {"date": "2026-10-12"}, {"date": "2026-11-11"},
    {"date": "2026-12-24"}, {"date": "2026-12-25"}, {"date": "2026-12-26"}]}"#;

fn schedule() -> WeeklySchedule {
    let document: ScheduleDocument = match serde_json::from_str(SCHEDULE) {
        Ok(document) => document,
        Err(e) => panic!("benchmark schedule is not a document: {e}"),
    };
    match WeeklySchedule::from_document(&document) {
        Ok(schedule) => schedule,
        Err(e) => panic!("benchmark schedule is invalid: {e}"),
    }
}

/// The same week with 20 yearly holidays (every rule kind) and 50
/// special-hours dates instead of closures: CONTRACT section 8's calendar.
fn calendar_schedule() -> WeeklySchedule {
    let mut document: ScheduleDocument = match serde_json::from_str(SCHEDULE) {
        Ok(document) => document,
        Err(e) => panic!("benchmark schedule is not a document: {e}"),
    };
    document.closures.clear();
    let mut holidays = Vec::new();
    for month in 1..=12 {
        holidays.push(format!(
            r#"{{"rule": "date", "month": {month}, "day": 15, "observed": "nearest_weekday"}}"#
        ));
    }
    for (month, nth) in [(1, 3), (2, 3), (5, -1), (9, 1), (10, 2), (11, 4)] {
        holidays.push(format!(
            r#"{{"rule": "nth_weekday", "month": {month}, "weekday": 1, "nth": {nth}}}"#
        ));
    }
    holidays.push(
        r#"{"rule": "weekday_on_or_before", "month": 5, "day": 24, "weekday": 1}"#.to_owned(),
    );
    holidays.push(r#"{"rule": "easter", "offset_days": -2}"#.to_owned());
    let special: Vec<String> = (0..50)
        .map(|n| {
            let day = jiff::civil::date(2026, 1, 2)
                .checked_add(jiff::Span::new().days(n * 7))
                .unwrap_or(jiff::civil::date(2026, 1, 2));
            format!(
                r#"{{"date": "{day}", "hours": [{{"start_time": "10:00", "end_time": "14:00"}}]}}"#
            )
        })
        .collect();
    let extra = format!(
        r#"{{"holidays": [{}], "special_hours": [{}]}}"#,
        holidays.join(","),
        special.join(",")
    );
    let extra: ScheduleDocument =
        match serde_json::from_str(&format!(r#"{{"timezone": "UTC", {}"#, &extra[1..])) {
            Ok(document) => document,
            Err(e) => panic!("{e}"),
        };
    document.holidays = extra.holidays;
    document.special_hours = extra.special_hours;
    assert_eq!(
        (document.holidays.len(), document.special_hours.len()),
        (20, 50)
    );
    match WeeklySchedule::from_document(&document) {
        Ok(schedule) => schedule,
        Err(e) => panic!("benchmark schedule is invalid: {e}"),
    }
}

fn at(text: &str) -> Timestamp {
    match text.parse() {
        Ok(at) => at,
        Err(e) => panic!("{text} is not an instant: {e}"),
    }
}

fn bench_schedule(c: &mut Criterion) {
    let schedule = schedule();
    let tuesday_afternoon = at("2026-11-24T14:00:00-07:00");
    let tuesday_night = at("2026-11-24T22:00:00-07:00");
    let christmas_eve = at("2026-12-23T19:00:00-07:00");

    c.bench_function("is_open/open", |b| {
        b.iter(|| schedule.is_open(black_box(tuesday_afternoon)))
    });
    c.bench_function("is_open/closed", |b| {
        b.iter(|| schedule.is_open(black_box(tuesday_night)))
    });
    c.bench_function("next_open/overnight", |b| {
        b.iter(|| schedule.next_open(black_box(tuesday_night)))
    });
    c.bench_function("next_open/over_holidays", |b| {
        b.iter(|| schedule.next_open(black_box(christmas_eve)))
    });
    c.bench_function("next_close/open", |b| {
        b.iter(|| schedule.next_close(black_box(tuesday_afternoon)))
    });
    let calendar = calendar_schedule();
    c.bench_function("is_open/20_holidays_50_special/open", |b| {
        b.iter(|| calendar.is_open(black_box(tuesday_afternoon)))
    });
    c.bench_function("is_open/20_holidays_50_special/closed", |b| {
        b.iter(|| calendar.is_open(black_box(tuesday_night)))
    });
    c.bench_function("next_open/20_holidays_50_special", |b| {
        b.iter(|| calendar.next_open(black_box(christmas_eve)))
    });
}

criterion_group!(benches, bench_schedule);
criterion_main!(benches);
