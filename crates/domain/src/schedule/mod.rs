//! Weekly business hours with closures, evaluated in the client's time zone.
//!
//! A [`WeeklySchedule`] answers three questions about any instant: is the
//! business open ([`WeeklySchedule::is_open`]), when does it next open
//! ([`WeeklySchedule::next_open`]) and when does the open stretch around it
//! end ([`WeeklySchedule::next_close`]). The semantics are those of the
//! schedule document in Hotline's contract:
//!
//! - each interval has one *occurrence* per local date D of its weekday, from
//!   wall time D `start` to D `end` when end > start, else to (D+1) `end`:
//!   end <= start crosses midnight, end == start lasts 24 hours, and `00:00`
//!   or `24:00` as an end both mean the following midnight;
//! - wall times become instants with the "compatible" rule: a time that occurs
//!   twice (fall-back fold) takes the earlier instant, a time that does not
//!   exist (spring-forward gap) is read with the offset in force before the
//!   gap, so it moves later by the gap's length; start and end convert
//!   independently, and an occurrence whose end is not after its start is empty;
//! - an occurrence covers `[start, end)`, and overlapping occurrences union;
//! - a closure date removes every occurrence that starts on that local date,
//!   including its part after midnight, and nothing that started the day before;
//! - a [`Holiday`] recurs every year and closes its local date as a closure
//!   does; [`SpecialHours`] replace everything that starts on their date with
//!   their own intervals. For one local date: special hours, else closed on a
//!   closure or holiday, else the weekly shifts.
//!
//! All evaluation is pure and allocation-free apart from `next_close`'s small
//! window of recent occurrences.

mod calendar;
mod document;
mod holiday_sets;
mod preview;
mod rules;
mod wall_time;

use std::collections::VecDeque;

use jiff::Timestamp;
use jiff::civil::Date;

pub use calendar::{Holiday, HolidayRule, Observed, SpecialHours, easter_sunday};
pub use document::{
    ClosureEntry, HolidayEntry, HoursEntry, MAX_CLOSURES, MAX_HOLIDAYS, MAX_INTERVALS,
    MAX_REASON_CHARS, MAX_SPECIAL_HOURS, MAX_SPECIAL_INTERVALS, ScheduleDocument, ScheduleError,
    ScheduleProblem, SpecialHoursEntry, SpecialInterval,
};
pub use holiday_sets::{HOLIDAY_SETS, HolidaySet};
pub use preview::{PreviewDate, PreviewDay, PreviewInterval, SchedulePreview, Why};
pub use wall_time::WallTime;

use crate::timezone::TimeZoneName;

/// How far past today (or past the last dated closure or special hours)
/// `next_open` looks before concluding the business never opens again. A
/// yearly holiday never runs out, so the search spans two whole years of
/// holidays plus a week: weekly shifts that every holiday rule together
/// keep closed for two years running are taken as never opening.
pub const OPEN_SEARCH_HORIZON_DAYS: i64 = 2 * 366 + 8;

/// The most days one preview may cover.
pub const MAX_PREVIEW_DAYS: u32 = 400;

/// How long an open stretch `next_close` follows before answering that it
/// does not end (a schedule open around the clock with no closure in sight).
pub const CLOSE_SEARCH_HORIZON_DAYS: i64 = 400;

/// One weekly interval of a schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interval {
    /// Local weekday on which the interval starts: 0 = Sunday … 6 = Saturday.
    pub day_of_week: u8,
    /// Local wall-clock start.
    pub start: WallTime,
    /// Local wall-clock end; at or before `start` means the following day.
    pub end: WallTime,
    /// An inactive interval is kept but never open.
    pub is_active: bool,
}

impl Interval {
    fn same_times(&self, other: &Self) -> bool {
        (self.day_of_week, self.start, self.end) == (other.day_of_week, other.start, other.end)
    }

    /// The wall-clock date on which the occurrence starting on `date` ends.
    fn end_date(&self, date: Date) -> Option<Date> {
        if self.end > self.start {
            Some(date)
        } else {
            date.tomorrow().ok()
        }
    }

    /// The occurrence of this interval that starts on local `date`, as
    /// `[start, end)` instants; `None` when it is empty.
    fn occurrence(&self, date: Date, timezone: &TimeZoneName) -> Option<(Timestamp, Timestamp)> {
        let zone = timezone.zone();
        let start_wall = self.start.on(date)?;
        let end_wall = self.end.on(self.end_date(date)?)?;
        let start = zone.to_ambiguous_timestamp(start_wall).compatible().ok()?;
        let end = zone.to_ambiguous_timestamp(end_wall).compatible().ok()?;
        (end > start).then_some((start, end))
    }
}

/// A local date on which no interval starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closure {
    /// The local date.
    pub date: Date,
    /// Why the business is closed, for people.
    pub reason: Option<String>,
}

/// Whether a schedule is open at an instant, and when that changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScheduleStatus {
    /// Open at the instant asked about.
    pub open: bool,
    /// The earliest instant at or after it when the business is open
    /// (the instant itself when open); `None` when it never opens again.
    pub next_open: Option<Timestamp>,
    /// When open, the end of the open stretch containing the instant;
    /// `None` when closed, or when the stretch runs past the search horizon.
    pub next_close: Option<Timestamp>,
}

/// A client's validated weekly business hours, closures and time zone.
#[derive(Debug, Clone)]
pub struct WeeklySchedule {
    timezone: TimeZoneName,
    intervals: Vec<Interval>,
    closures: Vec<Closure>,
    /// Active intervals grouped by the weekday they start on (Sunday first).
    active_by_weekday: [Vec<Interval>; 7],
    /// Closure dates, sorted and without repeats, for binary search.
    closed_dates: Vec<Date>,
    /// Yearly holidays, in the order given.
    holidays: Vec<Holiday>,
    /// Special hours, sorted by date (one entry per date).
    special: Vec<SpecialHours>,
}

/// What decides a local date's opening.
enum DayRule<'a> {
    Special(&'a SpecialHours),
    Closed(Option<&'a str>),
    Weekly,
}

impl PartialEq for WeeklySchedule {
    fn eq(&self, other: &Self) -> bool {
        self.timezone == other.timezone
            && self.intervals == other.intervals
            && self.closures == other.closures
            && self.holidays == other.holidays
            && self.special == other.special
    }
}

impl Eq for WeeklySchedule {}

impl WeeklySchedule {
    /// Builds a schedule from already-validated parts.
    pub fn new(timezone: TimeZoneName, intervals: Vec<Interval>, closures: Vec<Closure>) -> Self {
        let mut active_by_weekday: [Vec<Interval>; 7] = Default::default();
        for interval in intervals.iter().filter(|interval| interval.is_active) {
            if let Some(day) = active_by_weekday.get_mut(usize::from(interval.day_of_week)) {
                day.push(interval.clone());
            }
        }
        let mut closed_dates: Vec<Date> = closures.iter().map(|closure| closure.date).collect();
        closed_dates.sort_unstable();
        closed_dates.dedup();
        Self {
            timezone,
            intervals,
            closures,
            active_by_weekday,
            closed_dates,
            holidays: Vec::new(),
            special: Vec::new(),
        }
    }

    /// The same schedule with yearly `holidays` and `special` hours (at most
    /// one entry per date; a later one for the same date is ignored).
    #[must_use]
    pub fn with_calendar(mut self, holidays: Vec<Holiday>, mut special: Vec<SpecialHours>) -> Self {
        special.sort_by_key(|entry| entry.date);
        special.dedup_by_key(|entry| entry.date);
        self.holidays = holidays;
        self.special = special;
        self
    }

    /// Every holiday, in the order given.
    pub fn holidays(&self) -> &[Holiday] {
        &self.holidays
    }

    /// Every special-hours date, by date.
    pub fn special_hours(&self) -> &[SpecialHours] {
        &self.special
    }

    /// The time zone every wall-clock time is read in.
    pub fn timezone(&self) -> &TimeZoneName {
        &self.timezone
    }

    /// Every interval, active or not, in the order given.
    pub fn intervals(&self) -> &[Interval] {
        &self.intervals
    }

    /// Every closure, in the order given.
    pub fn closures(&self) -> &[Closure] {
        &self.closures
    }

    /// Whether the business is open at `at`.
    ///
    /// # Example
    ///
    /// ```
    /// use hotline_domain::{ScheduleDocument, Timestamp, WeeklySchedule};
    ///
    /// // Monday 09:00-17:00 and an overnight Friday 20:00 to Saturday 08:00, in Edmonton.
    /// let document: ScheduleDocument = serde_json::from_str(r#"{
    ///     "timezone": "America/Edmonton",
    ///     "hours": [
    ///         {"day_of_week": 1, "start_time": "09:00", "end_time": "17:00"},
    ///         {"day_of_week": 5, "start_time": "20:00", "end_time": "08:00"}
    ///     ]
    /// }"#)?;
    /// let schedule = WeeklySchedule::from_document(&document)?;
    ///
    /// // Monday 2026-11-23 at 10:00 local time (17:00 UTC) is open; 18:00 is not.
    /// assert!(schedule.is_open("2026-11-23T17:00:00Z".parse()?));
    /// assert!(!schedule.is_open("2026-11-24T01:00:00Z".parse()?));
    /// // Saturday 07:30 is still inside Friday's overnight shift.
    /// assert!(schedule.is_open("2026-11-28T14:30:00Z".parse()?));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_open(&self, at: Timestamp) -> bool {
        self.covering_end(at).is_some()
    }

    /// The earliest instant at or after `at` when the business is open: `at`
    /// itself when open, otherwise the start of the next occurrence.
    ///
    /// Returns `None` when the schedule never opens again (no active
    /// interval, or none that survives the closures).
    ///
    /// # Example
    ///
    /// ```
    /// use hotline_domain::{ScheduleDocument, Timestamp, WeeklySchedule};
    ///
    /// // Monday 09:00-17:00 and an overnight Friday 20:00 to Saturday 08:00, in Edmonton.
    /// let document: ScheduleDocument = serde_json::from_str(r#"{
    ///     "timezone": "America/Edmonton",
    ///     "hours": [
    ///         {"day_of_week": 1, "start_time": "09:00", "end_time": "17:00"},
    ///         {"day_of_week": 5, "start_time": "20:00", "end_time": "08:00"}
    ///     ]
    /// }"#)?;
    /// let schedule = WeeklySchedule::from_document(&document)?;
    ///
    /// // Monday 18:00 local: closed; next open Friday 20:00 local (Saturday 03:00 UTC).
    /// let monday_evening: Timestamp = "2026-11-24T01:00:00Z".parse()?;
    /// assert_eq!(
    ///     schedule.next_open(monday_evening),
    ///     Some("2026-11-28T03:00:00Z".parse()?)
    /// );
    /// // When open, it is the instant asked about.
    /// let monday_ten: Timestamp = "2026-11-23T17:00:00Z".parse()?;
    /// assert_eq!(schedule.next_open(monday_ten), Some(monday_ten));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn next_open(&self, at: Timestamp) -> Option<Timestamp> {
        if self.is_open(at) {
            return Some(at);
        }
        let today = self.local_date(at)?;
        let last_special = self.special.last().map(|entry| entry.date);
        if self.active_by_weekday.iter().all(Vec::is_empty)
            && last_special.is_none_or(|last| last < add_days(today, -2).unwrap_or(last))
        {
            return None;
        }
        // Past the last dated closure or special hours only weekly shifts and
        // yearly holidays remain; see OPEN_SEARCH_HORIZON_DAYS.
        let last_dated = self
            .closed_dates
            .last()
            .copied()
            .into_iter()
            .chain(last_special)
            .filter(|last| *last > today)
            .max();
        let search_end = add_days(last_dated.unwrap_or(today), OPEN_SEARCH_HORIZON_DAYS)?;
        let mut best: Option<Timestamp> = None;
        let mut best_date: Option<Date> = None;
        let mut date = add_days(today, -2)?;
        while date <= search_end {
            // Occurrences starting two local days after the best candidate
            // cannot start before it: wall time never runs back a whole day.
            if best_date
                .and_then(|found| add_days(found, 2))
                .is_some_and(|limit| date > limit)
            {
                break;
            }
            self.for_each_occurrence(date, |start, _end| {
                if start > at && best.is_none_or(|found| start < found) {
                    best = Some(start);
                }
            });
            if best_date.is_none() && best.is_some() {
                best_date = best.and_then(|found| self.local_date(found));
            }
            date = date.tomorrow().ok()?;
        }
        best
    }

    /// When open at `at`, the end of the open stretch containing it, merging
    /// occurrences that overlap or meet end to start.
    ///
    /// Returns `None` when closed at `at`, and also when the stretch has not
    /// ended within [`CLOSE_SEARCH_HORIZON_DAYS`] (a schedule open around the
    /// clock).
    ///
    /// # Example
    ///
    /// ```
    /// use hotline_domain::{ScheduleDocument, Timestamp, WeeklySchedule};
    ///
    /// // Monday 09:00-17:00 and an overnight Friday 20:00 to Saturday 08:00, in Edmonton.
    /// let document: ScheduleDocument = serde_json::from_str(r#"{
    ///     "timezone": "America/Edmonton",
    ///     "hours": [
    ///         {"day_of_week": 1, "start_time": "09:00", "end_time": "17:00"},
    ///         {"day_of_week": 5, "start_time": "20:00", "end_time": "08:00"}
    ///     ]
    /// }"#)?;
    /// let schedule = WeeklySchedule::from_document(&document)?;
    ///
    /// // Monday 10:00 local: open until 17:00 local (midnight UTC).
    /// assert_eq!(
    ///     schedule.next_close("2026-11-23T17:00:00Z".parse()?),
    ///     Some("2026-11-24T00:00:00Z".parse()?)
    /// );
    /// // Closed: no close to wait for.
    /// assert_eq!(schedule.next_close("2026-11-24T01:00:00Z".parse()?), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn next_close(&self, at: Timestamp) -> Option<Timestamp> {
        let first_end = self.covering_end(at)?;
        let today = self.local_date(at)?;
        let horizon = add_days(today, CLOSE_SEARCH_HORIZON_DAYS)?;
        let mut end = first_end;
        // Occurrences of the last few local dates: any that could still
        // cover `end` starts within two days before its local date.
        let mut window: VecDeque<(Date, Timestamp, Timestamp)> = VecDeque::new();
        let mut date = add_days(today, -2)?;
        loop {
            let end_date = self.local_date(end)?;
            if date > add_days(end_date, 1)? {
                return Some(end);
            }
            if date > horizon {
                return None;
            }
            self.for_each_occurrence(date, |start, stop| window.push_back((date, start, stop)));
            let oldest_useful = add_days(date, -3)?;
            while window
                .front()
                .is_some_and(|(day, _, _)| *day < oldest_useful)
            {
                window.pop_front();
            }
            while let Some(later) = window
                .iter()
                .filter(|(_, start, stop)| *start <= end && *stop > end)
                .map(|(_, _, stop)| *stop)
                .max()
            {
                end = later;
            }
            date = date.tomorrow().ok()?;
        }
    }

    /// `is_open`, `next_open` and `next_close` at once.
    pub fn status(&self, at: Timestamp) -> ScheduleStatus {
        let open = self.is_open(at);
        ScheduleStatus {
            open,
            next_open: if open { Some(at) } else { self.next_open(at) },
            next_close: if open { self.next_close(at) } else { None },
        }
    }

    /// The latest end among occurrences that contain `at`, if any does.
    fn covering_end(&self, at: Timestamp) -> Option<Timestamp> {
        let today = self.local_date(at)?;
        let mut latest: Option<Timestamp> = None;
        // An occurrence lasts at most a day plus a DST shift, and its start
        // instant is never earlier on the wall clock than its start date, so
        // only occurrences starting from two days before to one day after
        // `at`'s local date (margin for folds) can contain it.
        for offset in -2..=1 {
            let Some(date) = add_days(today, offset) else {
                continue;
            };
            self.for_each_occurrence(date, |start, end| {
                if start <= at && at < end && latest.is_none_or(|found| end > found) {
                    latest = Some(end);
                }
            });
        }
        latest
    }

    /// What decides local `date`: its special hours, else a closure or a
    /// holiday, else the weekly shifts.
    fn day_rule(&self, date: Date) -> DayRule<'_> {
        if !self.special.is_empty()
            && let Ok(found) = self.special.binary_search_by_key(&date, |entry| entry.date)
        {
            return DayRule::Special(&self.special[found]);
        }
        if self.closed_dates.binary_search(&date).is_ok() {
            let reason = self
                .closures
                .iter()
                .filter(|closure| closure.date == date)
                .find_map(|closure| closure.reason.as_deref())
                .or_else(|| self.holiday_on(date).and_then(|h| h.name.as_deref()));
            return DayRule::Closed(reason);
        }
        if let Some(holiday) = self.holiday_on(date) {
            return DayRule::Closed(holiday.name.as_deref());
        }
        DayRule::Weekly
    }

    /// The first holiday that falls on local `date`.
    fn holiday_on(&self, date: Date) -> Option<&Holiday> {
        self.holidays
            .iter()
            .find(|holiday| holiday.rule.falls_on(date))
    }

    /// Calls `visit(start, end)` for each non-empty occurrence starting on
    /// local `date` once its special hours, closures and holidays apply.
    fn for_each_occurrence(&self, date: Date, mut visit: impl FnMut(Timestamp, Timestamp)) {
        let weekday = usize::try_from(date.weekday().to_sunday_zero_offset()).unwrap_or(0);
        let intervals = &self.active_by_weekday[weekday];
        if intervals.is_empty() && self.special.is_empty() {
            return;
        }
        match self.day_rule(date) {
            DayRule::Special(special) => {
                for (start, end) in &special.hours {
                    let interval = Interval {
                        day_of_week: 0,
                        start: *start,
                        end: *end,
                        is_active: true,
                    };
                    if let Some((from, to)) = interval.occurrence(date, &self.timezone) {
                        visit(from, to);
                    }
                }
            }
            DayRule::Closed(_) => {}
            DayRule::Weekly => {
                for interval in intervals {
                    if let Some((start, end)) = interval.occurrence(date, &self.timezone) {
                        visit(start, end);
                    }
                }
            }
        }
    }

    /// Today's local date at `at`, in the schedule's zone.
    pub fn local_date_at(&self, at: Timestamp) -> Date {
        self.timezone.zone().to_datetime(at).date()
    }

    fn local_date(&self, at: Timestamp) -> Option<Date> {
        Some(self.timezone.zone().to_datetime(at).date())
    }
}

fn add_days(date: Date, days: i64) -> Option<Date> {
    date.checked_add(jiff::Span::new().try_days(days).ok()?)
        .ok()
}
