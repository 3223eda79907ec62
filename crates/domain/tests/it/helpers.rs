//! Shared builders for the domain tests.

use hotline_domain::{ScheduleDocument, Timestamp, WeeklySchedule};

/// Parses and validates a schedule written as JSON, panicking with the reason
/// when the test's own fixture is wrong.
pub fn schedule(json: &str) -> WeeklySchedule {
    let document: ScheduleDocument =
        serde_json::from_str(json).unwrap_or_else(|e| panic!("fixture is not a document: {e}"));
    WeeklySchedule::from_document(&document)
        .unwrap_or_else(|e| panic!("fixture is not a valid schedule: {e}"))
}

/// Parses an RFC 3339 instant such as `2026-11-23T14:00:00-07:00`.
pub fn instant(text: &str) -> Timestamp {
    text.parse()
        .unwrap_or_else(|e| panic!("fixture {text:?} is not an instant: {e}"))
}

/// One row of a schedule table: at `at`, expect these answers.
pub struct Expect {
    pub name: &'static str,
    pub at: &'static str,
    pub open: bool,
    pub next_open: Option<&'static str>,
    pub next_close: Option<&'static str>,
}

/// Checks every row against `schedule`, reporting all failures at once.
pub fn check_rows(schedule: &WeeklySchedule, rows: &[Expect]) {
    let mut failures = Vec::new();
    for row in rows {
        let at = instant(row.at);
        let status = schedule.status(at);
        let want_open = row.next_open.map(instant);
        let want_close = row.next_close.map(instant);
        let got = (
            schedule.is_open(at),
            schedule.next_open(at),
            schedule.next_close(at),
        );
        if got != (row.open, want_open, want_close)
            || (status.open, status.next_open, status.next_close) != got
        {
            failures.push(format!(
                "{} at {}: want open={} next_open={:?} next_close={:?}, got open={} next_open={:?} next_close={:?}",
                row.name,
                row.at,
                row.open,
                want_open.map(|t| t.to_string()),
                want_close.map(|t| t.to_string()),
                got.0,
                got.1.map(|t| t.to_string()),
                got.2.map(|t| t.to_string()),
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failing rows:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
