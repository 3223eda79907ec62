//! Property tests: for random schedules, zones and instants, `next_open`,
//! `next_close` and `is_open` agree with each other and with sampling.

use hotline_domain::schedule::{ClosureEntry, HoursEntry};
use hotline_domain::{ScheduleDocument, Timestamp, WeeklySchedule};
use jiff::SignedDuration;
use proptest::prelude::*;

/// Zones with DST in both hemispheres, half-hour offsets and shifts, and
/// transitions at midnight (Havana, Santiago).
const ZONES: &[&str] = &[
    "America/Edmonton",
    "Europe/London",
    "Australia/Sydney",
    "Australia/Adelaide",
    "Australia/Lord_Howe",
    "America/St_Johns",
    "Asia/Kolkata",
    "America/Havana",
    "America/Santiago",
    "UTC",
];

/// 2026 transition instants of some of the zones above, to aim instants at.
const TRANSITIONS: &[i64] = &[
    1_772_960_400, // America/Edmonton, 2026-03-08T09:00Z
    1_793_520_000, // America/Edmonton, 2026-11-01T08:00Z
    1_774_746_000, // Europe/London, 2026-03-29T01:00Z
    1_792_890_000, // Europe/London, 2026-10-25T01:00Z
    1_775_318_400, // Australia/Sydney, 2026-04-04T16:00Z
    1_791_043_200, // Australia/Sydney, 2026-10-03T16:00Z
    1_791_041_400, // Australia/Lord_Howe, 2026-10-03T15:30Z
];

const STEP: SignedDuration = SignedDuration::from_mins(15);
const ONE_SECOND: SignedDuration = SignedDuration::from_secs(1);

fn quarter_hour(max_quarters: u16) -> impl Strategy<Value = String> {
    (0..=max_quarters).prop_map(|q| format!("{:02}:{:02}", q * 15 / 60, q * 15 % 60))
}

fn hours_entry() -> impl Strategy<Value = HoursEntry> {
    (
        0..7i64,
        quarter_hour(95),
        quarter_hour(96),
        prop::bool::weighted(0.85),
    )
        .prop_map(
            |(day_of_week, start_time, end_time, is_active)| HoursEntry {
                day_of_week,
                start_time,
                end_time,
                is_active,
            },
        )
}

fn instant() -> impl Strategy<Value = Timestamp> {
    let uniform = (1_577_836_800i64..1_893_456_000).boxed(); // 2020 to 2030
    let near_transition = (
        prop::sample::select(TRANSITIONS),
        -3 * 86_400i64..3 * 86_400,
    )
        .prop_map(|(t, d)| t + d);
    prop_oneof![uniform, near_transition.boxed()]
        .prop_map(|second| Timestamp::from_second(second).unwrap_or(Timestamp::UNIX_EPOCH))
}

fn case() -> impl Strategy<Value = (WeeklySchedule, Timestamp)> {
    (
        prop::sample::select(ZONES),
        prop::collection::vec(hours_entry(), 0..7),
        prop::collection::vec(-3i64..25, 0..6),
        instant(),
    )
        .prop_map(|(zone, mut hours, closure_offsets, at)| {
            let mut seen = Vec::new();
            hours.retain(|h| {
                let key = (h.day_of_week, h.start_time.clone(), h.end_time.clone());
                let fresh = !seen.contains(&key);
                seen.push(key);
                fresh
            });
            let timezone = jiff::tz::TimeZone::get(zone).unwrap_or(jiff::tz::TimeZone::UTC);
            let today = timezone.to_datetime(at).date();
            let closures = closure_offsets
                .into_iter()
                .filter_map(|days| today.checked_add(jiff::Span::new().days(days)).ok())
                .map(|date| ClosureEntry {
                    date: date.to_string(),
                    reason: None,
                })
                .collect();
            let document = ScheduleDocument {
                timezone: zone.to_owned(),
                hours,
                closures,
                holidays: Vec::new(),
                special_hours: Vec::new(),
            };
            let schedule = WeeklySchedule::from_document(&document)
                .unwrap_or_else(|e| panic!("generated an invalid schedule: {e}"));
            (schedule, at)
        })
}

/// Instants from `from` (inclusive) to `to` (exclusive) every 15 minutes.
fn samples(from: Timestamp, to: Timestamp) -> impl Iterator<Item = Timestamp> {
    std::iter::successors(Some(from), |t| t.checked_add(STEP).ok()).take_while(move |t| *t < to)
}

fn days_after(at: Timestamp, days: i64) -> Timestamp {
    at.checked_add(SignedDuration::from_hours(24 * days))
        .unwrap_or(at)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn next_open_is_open_and_nothing_before_it_is((schedule, at) in case()) {
        let open = schedule.is_open(at);
        match schedule.next_open(at) {
            Some(next) => {
                prop_assert!(next >= at);
                prop_assert!(schedule.is_open(next), "next_open {next} is not open");
                prop_assert_eq!(open, next == at);
                for sample in samples(at, next).chain(next.checked_sub(ONE_SECOND).ok()) {
                    prop_assert!(sample < at || !schedule.is_open(sample), "open at {sample} before next_open {next}");
                }
            }
            None => {
                prop_assert!(!open);
                for sample in samples(at, days_after(at, 35)) {
                    prop_assert!(!schedule.is_open(sample), "no next_open, but open at {sample}");
                }
            }
        }
    }

    #[test]
    fn next_close_ends_the_open_stretch((schedule, at) in case()) {
        let open = schedule.is_open(at);
        match schedule.next_close(at) {
            Some(close) => {
                prop_assert!(open, "next_close {close} while closed");
                prop_assert!(close > at);
                prop_assert!(!schedule.is_open(close), "still open at next_close {close}");
                for sample in samples(at, close).chain(close.checked_sub(ONE_SECOND).ok()) {
                    prop_assert!(sample < at || schedule.is_open(sample), "closed at {sample} before next_close {close}");
                }
            }
            None if open => {
                for sample in samples(at, days_after(at, 35)) {
                    prop_assert!(schedule.is_open(sample), "no next_close, but closed at {sample}");
                }
            }
            None => {}
        }
        let status = schedule.status(at);
        prop_assert_eq!((status.open, status.next_open, status.next_close),
            (open, schedule.next_open(at), schedule.next_close(at)));
    }
}
