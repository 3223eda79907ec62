//! Reading holidays and special hours from the schedule document, naming
//! the field of the first problem (`holidays[2].nth`), and writing them back.

use serde_json::Value;

use super::calendar::{Holiday, HolidayRule, Observed, SpecialHours};
use super::document::{
    HolidayEntry, MAX_REASON_CHARS, ScheduleError, ScheduleProblem, SpecialHoursEntry, invalid,
    parse_date,
};
use super::wall_time::WallTime;

/// The fields each rule takes besides `name` and `rule`.
fn fields_of(rule: &str) -> Option<&'static [&'static str]> {
    match rule {
        "date" => Some(&["month", "day", "observed"]),
        "nth_weekday" => Some(&["month", "weekday", "nth"]),
        "weekday_on_or_before" => Some(&["month", "day", "weekday"]),
        "easter" => Some(&["offset_days"]),
        _ => None,
    }
}

/// Days in `month` in a leap year: the days a yearly rule may name.
fn max_day(month: i64) -> i64 {
    match month {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

struct Fields<'a> {
    index: usize,
    entry: &'a HolidayEntry,
}

impl Fields<'_> {
    fn path(&self, name: &str) -> String {
        format!("holidays[{}].{name}", self.index)
    }

    fn value(&self, name: &str) -> Option<&Value> {
        let entry = self.entry;
        match name {
            "month" => entry.month.as_ref(),
            "day" => entry.day.as_ref(),
            "weekday" => entry.weekday.as_ref(),
            "nth" => entry.nth.as_ref(),
            "observed" => entry.observed.as_ref(),
            "offset_days" => entry.offset_days.as_ref(),
            _ => None,
        }
        .filter(|value| !value.is_null())
    }

    /// The whole number `name`, required, within `range`.
    fn number(
        &self,
        name: &str,
        range: std::ops::RangeInclusive<i64>,
        what: &str,
    ) -> Result<i64, ScheduleError> {
        let value = self
            .value(name)
            .ok_or_else(|| invalid(self.path(name), ScheduleProblem::Missing))?;
        value.as_i64().filter(|n| range.contains(n)).ok_or_else(|| {
            invalid(
                self.path(name),
                ScheduleProblem::OutOfRange(what.to_owned()),
            )
        })
    }
}

/// Validates one holiday entry.
pub(super) fn parse_holiday(index: usize, entry: &HolidayEntry) -> Result<Holiday, ScheduleError> {
    let fields = Fields { index, entry };
    if let Some(extra) = entry.other.keys().next() {
        return Err(invalid(fields.path(extra), ScheduleProblem::Unexpected));
    }
    let name = match &entry.name {
        None | Some(Value::Null) => None,
        Some(Value::String(name)) if name.chars().count() <= MAX_REASON_CHARS => {
            Some(name.trim().to_owned()).filter(|name| !name.is_empty())
        }
        Some(Value::String(_)) => {
            return Err(invalid(
                fields.path("name"),
                ScheduleProblem::TooLong(MAX_REASON_CHARS),
            ));
        }
        Some(_) => {
            return Err(invalid(
                fields.path("name"),
                ScheduleProblem::OutOfRange("must be text".to_owned()),
            ));
        }
    };
    let rule_name = match &entry.rule {
        None | Some(Value::Null) => {
            return Err(invalid(fields.path("rule"), ScheduleProblem::Missing));
        }
        Some(Value::String(rule)) => rule.as_str(),
        Some(_) => "",
    };
    let Some(allowed) = fields_of(rule_name) else {
        return Err(invalid(
            fields.path("rule"),
            ScheduleProblem::OutOfRange(
                "must be date, nth_weekday, weekday_on_or_before or easter".to_owned(),
            ),
        ));
    };
    for field in ["month", "day", "weekday", "nth", "observed", "offset_days"] {
        if fields.value(field).is_some() && !allowed.contains(&field) {
            return Err(invalid(fields.path(field), ScheduleProblem::Unexpected));
        }
    }
    let month = || fields.number("month", 1..=12, "must be 1 (January) to 12 (December)");
    let weekday = || fields.number("weekday", 0..=6, "must be 0 (Sunday) to 6 (Saturday)");
    let day = |month: i64| {
        let last = max_day(month);
        fields.number(
            "day",
            1..=last,
            &format!("must be 1 to {last} for month {month}"),
        )
    };
    let small = |n: i64| i8::try_from(n).unwrap_or(0);
    let rule = match rule_name {
        "date" => {
            let month = month()?;
            let day = day(month)?;
            let observed = match fields.value("observed") {
                None => Observed::None,
                Some(value) => value.as_str().and_then(Observed::parse).ok_or_else(|| {
                    invalid(
                        fields.path("observed"),
                        ScheduleProblem::OutOfRange(
                            "must be none, nearest_weekday or next_monday".to_owned(),
                        ),
                    )
                })?,
            };
            HolidayRule::Date {
                month: small(month),
                day: small(day),
                observed,
            }
        }
        "nth_weekday" => {
            let month = month()?;
            let weekday = weekday()?;
            let nth = fields.number("nth", -1..=5, "must be 1 to 5, or -1 for the last")?;
            if nth == 0 {
                return Err(invalid(
                    fields.path("nth"),
                    ScheduleProblem::OutOfRange("must be 1 to 5, or -1 for the last".to_owned()),
                ));
            }
            HolidayRule::NthWeekday {
                month: small(month),
                weekday: u8::try_from(weekday).unwrap_or(0),
                nth: small(nth),
            }
        }
        "weekday_on_or_before" => {
            let month = month()?;
            let day = day(month)?;
            let weekday = weekday()?;
            HolidayRule::WeekdayOnOrBefore {
                month: small(month),
                day: small(day),
                weekday: u8::try_from(weekday).unwrap_or(0),
            }
        }
        _ => {
            let offset = fields.number("offset_days", -100..=100, "must be -100 to 100")?;
            HolidayRule::Easter {
                offset_days: i16::try_from(offset).unwrap_or(0),
            }
        }
    };
    Ok(Holiday { name, rule })
}

/// Validates one special-hours entry.
pub(super) fn parse_special_hours(
    index: usize,
    entry: &SpecialHoursEntry,
) -> Result<SpecialHours, ScheduleError> {
    let path = |name: &str| format!("special_hours[{index}].{name}");
    let text = entry
        .date
        .as_deref()
        .ok_or_else(|| invalid(path("date"), ScheduleProblem::Missing))?;
    let date = parse_date(text).ok_or_else(|| {
        invalid(
            path("date"),
            ScheduleProblem::MalformedDate(text.to_owned()),
        )
    })?;
    let intervals = entry
        .hours
        .as_ref()
        .ok_or_else(|| invalid(path("hours"), ScheduleProblem::Missing))?;
    if intervals.len() > super::document::MAX_SPECIAL_INTERVALS {
        return Err(invalid(
            path("hours"),
            ScheduleProblem::TooMany(super::document::MAX_SPECIAL_INTERVALS),
        ));
    }
    let mut hours = Vec::with_capacity(intervals.len());
    for (n, interval) in intervals.iter().enumerate() {
        let field = |name: &str| format!("special_hours[{index}].hours[{n}].{name}");
        let start_text = interval
            .start_time
            .as_deref()
            .ok_or_else(|| invalid(field("start_time"), ScheduleProblem::Missing))?;
        let start = WallTime::parse(start_text).ok_or_else(|| {
            invalid(
                field("start_time"),
                ScheduleProblem::MalformedTime(start_text.to_owned()),
            )
        })?;
        if start.is_end_of_day() {
            return Err(invalid(
                field("start_time"),
                ScheduleProblem::StartsAtEndOfDay,
            ));
        }
        let end_text = interval
            .end_time
            .as_deref()
            .ok_or_else(|| invalid(field("end_time"), ScheduleProblem::Missing))?;
        let end = WallTime::parse(end_text).ok_or_else(|| {
            invalid(
                field("end_time"),
                ScheduleProblem::MalformedTime(end_text.to_owned()),
            )
        })?;
        hours.push((start, end));
    }
    if let Some(reason) = &entry.reason
        && reason.chars().count() > MAX_REASON_CHARS
    {
        return Err(invalid(
            path("reason"),
            ScheduleProblem::TooLong(MAX_REASON_CHARS),
        ));
    }
    Ok(SpecialHours {
        date,
        hours,
        reason: entry.reason.clone(),
    })
}

/// A holiday as the document writes it.
pub(crate) fn holiday_entry(holiday: &Holiday) -> HolidayEntry {
    let number = |n: i64| Some(Value::from(n));
    let mut entry = HolidayEntry {
        name: holiday.name.clone().map(Value::from),
        ..HolidayEntry::default()
    };
    match holiday.rule {
        HolidayRule::Date {
            month,
            day,
            observed,
        } => {
            entry.rule = Some(Value::from("date"));
            entry.month = number(month.into());
            entry.day = number(day.into());
            entry.observed = Some(Value::from(observed.as_str()));
        }
        HolidayRule::NthWeekday {
            month,
            weekday,
            nth,
        } => {
            entry.rule = Some(Value::from("nth_weekday"));
            entry.month = number(month.into());
            entry.weekday = number(weekday.into());
            entry.nth = number(nth.into());
        }
        HolidayRule::WeekdayOnOrBefore {
            month,
            day,
            weekday,
        } => {
            entry.rule = Some(Value::from("weekday_on_or_before"));
            entry.month = number(month.into());
            entry.day = number(day.into());
            entry.weekday = number(weekday.into());
        }
        HolidayRule::Easter { offset_days } => {
            entry.rule = Some(Value::from("easter"));
            entry.offset_days = number(offset_days.into());
        }
    }
    entry
}
