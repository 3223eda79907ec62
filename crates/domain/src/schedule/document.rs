//! The schedule document: the JSON form of a client's business hours.
//!
//! [`ScheduleDocument`] is exactly what the admin API and `hotline hours
//! check` read and write. It carries raw values; [`WeeklySchedule::from_document`]
//! validates them and names the offending field of the first one that is wrong,
//! so an invalid schedule cannot exist past the edge.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::calendar::SpecialHours;
use super::{Closure, Interval, WeeklySchedule};
use crate::schedule::wall_time::WallTime;
use crate::timezone::TimeZoneName;

/// The most weekly intervals a schedule may have (ten a day).
pub const MAX_INTERVALS: usize = 70;
/// The most closure dates a schedule may have.
pub const MAX_CLOSURES: usize = 400;
/// The most holidays a schedule may have.
pub const MAX_HOLIDAYS: usize = 100;
/// The most special-hours dates a schedule may have.
pub const MAX_SPECIAL_HOURS: usize = 400;
/// The most openings one special-hours date may have.
pub const MAX_SPECIAL_INTERVALS: usize = 10;
/// The longest closure reason, in characters.
pub const MAX_REASON_CHARS: usize = 200;

/// A client's business hours as written in JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleDocument {
    /// IANA time zone name in which every time of the document is read.
    pub timezone: String,
    /// Weekly intervals; none means never open.
    #[serde(default)]
    pub hours: Vec<HoursEntry>,
    /// Local dates on which no interval starts.
    #[serde(default)]
    pub closures: Vec<ClosureEntry>,
    /// Holidays that recur every year (CONTRACT section 8); left out of the
    /// JSON when empty, so a round-one document reads back unchanged.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holidays: Vec<HolidayEntry>,
    /// Hours that replace everything else on one date; left out when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub special_hours: Vec<SpecialHoursEntry>,
}

/// One holiday as written in JSON. Fields are kept loose here so that a
/// missing, extra or out-of-range one is answered naming it
/// (`holidays[2].nth`) rather than as unreadable JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct HolidayEntry {
    /// For people ("Thanksgiving").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<serde_json::Value>,
    /// `date`, `nth_weekday`, `weekday_on_or_before` or `easter`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<serde_json::Value>,
    /// 1..=12 (`date`, `nth_weekday`, `weekday_on_or_before`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub month: Option<serde_json::Value>,
    /// 1..=31 (`date`, `weekday_on_or_before`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day: Option<serde_json::Value>,
    /// 0 = Sunday … 6 (`nth_weekday`, `weekday_on_or_before`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weekday: Option<serde_json::Value>,
    /// 1..=5 or -1 (`nth_weekday`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nth: Option<serde_json::Value>,
    /// `none`, `nearest_weekday` or `next_monday` (`date`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed: Option<serde_json::Value>,
    /// -100..=100 (`easter`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset_days: Option<serde_json::Value>,
    /// Any other field: refused, naming it.
    #[serde(flatten)]
    pub other: serde_json::Map<String, serde_json::Value>,
}

/// One date's special hours as written in JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SpecialHoursEntry {
    /// Local date, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The intervals of that date; `[]`: closed all day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<Vec<SpecialInterval>>,
    /// Why, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// One interval of a special-hours date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SpecialInterval {
    /// Local start, `HH:MM`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    /// Local end, `HH:MM` or `24:00`; at or before the start: the next day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
}

/// One weekly interval as written in JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoursEntry {
    /// Local weekday on which the interval starts: 0 = Sunday … 6 = Saturday.
    pub day_of_week: i64,
    /// Local start time, `HH:MM`.
    pub start_time: String,
    /// Local end time, `HH:MM` or `24:00`; at or before the start means the next day.
    pub end_time: String,
    /// An inactive interval is kept but never open.
    #[serde(default = "active_by_default")]
    pub is_active: bool,
}

/// One closure date as written in JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosureEntry {
    /// Local date, `YYYY-MM-DD`.
    pub date: String,
    /// Why the business is closed, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

fn active_by_default() -> bool {
    true
}

/// A schedule document is invalid; `field` names where, as a path such as
/// `hours[2].end_time`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct ScheduleError {
    /// Path of the offending field within the document.
    pub field: String,
    /// What is wrong with it.
    pub problem: ScheduleProblem,
}

/// What is wrong with one field of a schedule document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleProblem {
    /// The time zone is not an IANA name the database knows.
    #[error("unknown time zone {0:?}: expected an IANA name such as \"America/Edmonton\"")]
    UnknownTimeZone(String),
    /// `day_of_week` is outside 0..=6.
    #[error("day_of_week must be 0 (Sunday) to 6 (Saturday), got {0}")]
    DayOfWeekOutOfRange(i64),
    /// A time is not `HH:MM` between `00:00` and `24:00`.
    #[error("{0:?} is not a time of day: expected HH:MM from 00:00 to 23:59 (24:00 as an end)")]
    MalformedTime(String),
    /// `24:00` was given as a start time.
    #[error("24:00 can only end an interval; start the next day at 00:00 instead")]
    StartsAtEndOfDay,
    /// The same weekday, start and end appear twice.
    #[error("duplicates hours[{0}]")]
    DuplicateInterval(usize),
    /// A date is not `YYYY-MM-DD`.
    #[error("{0:?} is not a date: expected YYYY-MM-DD")]
    MalformedDate(String),
    /// A list is longer than allowed.
    #[error("at most {0} entries are allowed")]
    TooMany(usize),
    /// A reason or a holiday's name is too long.
    #[error("must be at most {0} characters")]
    TooLong(usize),
    /// A field the entry needs is missing.
    #[error("is required here")]
    Missing,
    /// A field this kind of entry does not take.
    #[error("is not a field of this rule")]
    Unexpected,
    /// A value outside its range or set.
    #[error("{0}")]
    OutOfRange(String),
    /// Two special-hours entries for one date.
    #[error("duplicates special_hours[{0}]: one entry per date")]
    DuplicateDate(usize),
}

impl ScheduleProblem {
    /// A stable snake_case code for API errors.
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnknownTimeZone(_) => "unknown_timezone",
            Self::DayOfWeekOutOfRange(_) => "day_of_week_out_of_range",
            Self::MalformedTime(_) | Self::StartsAtEndOfDay => "malformed_time",
            Self::DuplicateInterval(_) => "duplicate_interval",
            Self::MalformedDate(_) => "malformed_date",
            Self::TooMany(_) => "too_many_entries",
            Self::TooLong(_) => "too_long",
            Self::Missing => "missing_field",
            Self::Unexpected => "unexpected_field",
            Self::OutOfRange(_) => "out_of_range",
            Self::DuplicateDate(_) => "duplicate_date",
        }
    }
}

pub(super) fn invalid(field: impl Into<String>, problem: ScheduleProblem) -> ScheduleError {
    ScheduleError {
        field: field.into(),
        problem,
    }
}

impl WeeklySchedule {
    /// Validates a schedule document.
    ///
    /// # Errors
    ///
    /// Returns the first [`ScheduleError`] in document order: an unknown
    /// `timezone`, a `day_of_week` outside 0..6, a malformed or `24:00` start
    /// time, a malformed end time, an interval identical (weekday, start, end)
    /// to an earlier one, an unparsable closure date, an over-long reason, or
    /// more than [`MAX_INTERVALS`] intervals or [`MAX_CLOSURES`] closures.
    pub fn from_document(document: &ScheduleDocument) -> Result<Self, ScheduleError> {
        Self::checked(document, true)
    }

    /// A schedule read back from storage: validated as
    /// [`Self::from_document`] does except for the list limits, which apply
    /// when a schedule is written (one stored under older, larger limits
    /// still routes its client's SMS).
    ///
    /// # Errors
    ///
    /// As [`Self::from_document`], the lists' lengths aside.
    pub fn from_stored_document(document: &ScheduleDocument) -> Result<Self, ScheduleError> {
        Self::checked(document, false)
    }

    fn checked(document: &ScheduleDocument, limits: bool) -> Result<Self, ScheduleError> {
        let timezone = TimeZoneName::parse(&document.timezone).map_err(|_| {
            invalid(
                "timezone",
                ScheduleProblem::UnknownTimeZone(document.timezone.clone()),
            )
        })?;
        if limits && document.hours.len() > MAX_INTERVALS {
            return Err(invalid("hours", ScheduleProblem::TooMany(MAX_INTERVALS)));
        }
        if limits && document.closures.len() > MAX_CLOSURES {
            return Err(invalid("closures", ScheduleProblem::TooMany(MAX_CLOSURES)));
        }
        if limits && document.holidays.len() > MAX_HOLIDAYS {
            return Err(invalid("holidays", ScheduleProblem::TooMany(MAX_HOLIDAYS)));
        }
        if limits && document.special_hours.len() > MAX_SPECIAL_HOURS {
            return Err(invalid(
                "special_hours",
                ScheduleProblem::TooMany(MAX_SPECIAL_HOURS),
            ));
        }
        let mut intervals: Vec<Interval> = Vec::with_capacity(document.hours.len());
        for (index, entry) in document.hours.iter().enumerate() {
            let interval = parse_interval(index, entry)?;
            if let Some(first) = intervals.iter().position(|seen| seen.same_times(&interval)) {
                return Err(invalid(
                    format!("hours[{index}]"),
                    ScheduleProblem::DuplicateInterval(first),
                ));
            }
            intervals.push(interval);
        }
        let mut closures = Vec::with_capacity(document.closures.len());
        for (index, entry) in document.closures.iter().enumerate() {
            closures.push(parse_closure(index, entry)?);
        }
        let holidays = document
            .holidays
            .iter()
            .enumerate()
            .map(|(index, entry)| super::rules::parse_holiday(index, entry))
            .collect::<Result<Vec<_>, _>>()?;
        let mut special: Vec<SpecialHours> = Vec::with_capacity(document.special_hours.len());
        for (index, entry) in document.special_hours.iter().enumerate() {
            let parsed = super::rules::parse_special_hours(index, entry)?;
            if let Some(first) = special.iter().position(|seen| seen.date == parsed.date) {
                return Err(invalid(
                    format!("special_hours[{index}].date"),
                    ScheduleProblem::DuplicateDate(first),
                ));
            }
            special.push(parsed);
        }
        Ok(Self::new(timezone, intervals, closures).with_calendar(holidays, special))
    }

    /// The schedule as a document, with times written as `HH:MM`.
    pub fn to_document(&self) -> ScheduleDocument {
        ScheduleDocument {
            timezone: self.timezone().as_str().to_owned(),
            hours: self
                .intervals()
                .iter()
                .map(|interval| HoursEntry {
                    day_of_week: i64::from(interval.day_of_week),
                    start_time: interval.start.to_string(),
                    end_time: interval.end.to_string(),
                    is_active: interval.is_active,
                })
                .collect(),
            closures: self
                .closures()
                .iter()
                .map(|closure| ClosureEntry {
                    date: closure.date.to_string(),
                    reason: closure.reason.clone(),
                })
                .collect(),
            holidays: self
                .holidays()
                .iter()
                .map(super::rules::holiday_entry)
                .collect(),
            special_hours: self
                .special_hours()
                .iter()
                .map(|special| SpecialHoursEntry {
                    date: Some(special.date.to_string()),
                    hours: Some(
                        special
                            .hours
                            .iter()
                            .map(|(start, end)| SpecialInterval {
                                start_time: Some(start.to_string()),
                                end_time: Some(end.to_string()),
                            })
                            .collect(),
                    ),
                    reason: special.reason.clone(),
                })
                .collect(),
        }
    }
}

fn parse_interval(index: usize, entry: &HoursEntry) -> Result<Interval, ScheduleError> {
    let field = |name: &str| format!("hours[{index}].{name}");
    let day_of_week = u8::try_from(entry.day_of_week)
        .ok()
        .filter(|day| *day <= 6)
        .ok_or_else(|| {
            invalid(
                field("day_of_week"),
                ScheduleProblem::DayOfWeekOutOfRange(entry.day_of_week),
            )
        })?;
    let start = WallTime::parse(&entry.start_time).ok_or_else(|| {
        invalid(
            field("start_time"),
            ScheduleProblem::MalformedTime(entry.start_time.clone()),
        )
    })?;
    if start.is_end_of_day() {
        return Err(invalid(
            field("start_time"),
            ScheduleProblem::StartsAtEndOfDay,
        ));
    }
    let end = WallTime::parse(&entry.end_time).ok_or_else(|| {
        invalid(
            field("end_time"),
            ScheduleProblem::MalformedTime(entry.end_time.clone()),
        )
    })?;
    Ok(Interval {
        day_of_week,
        start,
        end,
        is_active: entry.is_active,
    })
}

fn parse_closure(index: usize, entry: &ClosureEntry) -> Result<Closure, ScheduleError> {
    let date = parse_date(&entry.date).ok_or_else(|| {
        invalid(
            format!("closures[{index}].date"),
            ScheduleProblem::MalformedDate(entry.date.clone()),
        )
    })?;
    if let Some(reason) = &entry.reason
        && reason.chars().count() > MAX_REASON_CHARS
    {
        return Err(invalid(
            format!("closures[{index}].reason"),
            ScheduleProblem::TooLong(MAX_REASON_CHARS),
        ));
    }
    Ok(Closure {
        date,
        reason: entry.reason.clone(),
    })
}

/// Parses exactly `YYYY-MM-DD` as a real calendar date.
pub(super) fn parse_date(text: &str) -> Option<Date> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shaped {
        return None;
    }
    let number = |range: std::ops::Range<usize>| text[range].parse::<i16>().ok();
    Date::new(number(0..4)?, number(5..7)? as i8, number(8..10)? as i8).ok()
}
