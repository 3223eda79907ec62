//! Holidays that recur every year, and special hours for one date
//! (CONTRACT section 8).
//!
//! A [`Holiday`] is a rule that names a local date in any year: a fixed
//! date (with an optional observed weekday when it falls on a weekend), the
//! nth weekday of a month, the last given weekday on or before a date, or a
//! number of days from Western (Gregorian) Easter Sunday. A holiday closes
//! its date as a closure does. [`SpecialHours`] replace a date's whole
//! opening with their own intervals.

use jiff::civil::{Date, Weekday};

use super::wall_time::WallTime;

/// When a fixed-date holiday on a weekend is also observed on a weekday.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Observed {
    /// Only the date itself.
    None,
    /// A Saturday date also closes the Friday before, a Sunday date the
    /// Monday after.
    NearestWeekday,
    /// A Saturday or Sunday date also closes the following Monday.
    NextMonday,
}

impl Observed {
    /// The name used in the schedule document.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::NearestWeekday => "nearest_weekday",
            Self::NextMonday => "next_monday",
        }
    }

    /// The observed variant named `text`.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "none" => Some(Self::None),
            "nearest_weekday" => Some(Self::NearestWeekday),
            "next_monday" => Some(Self::NextMonday),
            _ => None,
        }
    }
}

/// How a holiday finds its date in a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HolidayRule {
    /// `month`/`day` every year (29 February only in leap years), and its
    /// observed weekday.
    Date {
        /// 1..=12.
        month: i8,
        /// 1..=31, a day the month can have.
        day: i8,
        /// The weekday it is also observed on when on a weekend.
        observed: Observed,
    },
    /// The `nth` `weekday` of `month` (`nth` -1: the last); no holiday in a
    /// year without it.
    NthWeekday {
        /// 1..=12.
        month: i8,
        /// 0 = Sunday … 6 = Saturday.
        weekday: u8,
        /// 1..=5, or -1 for the last.
        nth: i8,
    },
    /// The last `weekday` on or before `month`/`day`.
    WeekdayOnOrBefore {
        /// 1..=12.
        month: i8,
        /// 1..=31, a day the month can have.
        day: i8,
        /// 0 = Sunday … 6 = Saturday.
        weekday: u8,
    },
    /// `offset_days` (-100..=100) from Western Easter Sunday.
    Easter {
        /// Days after Easter Sunday (negative: before).
        offset_days: i16,
    },
}

/// A holiday: a rule and an optional name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    /// For people ("Thanksgiving").
    pub name: Option<String>,
    /// When it falls.
    pub rule: HolidayRule,
}

/// Opening hours that replace everything else on one local date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecialHours {
    /// The local date.
    pub date: Date,
    /// `(start, end)` wall times, read as weekly intervals are (an end at or
    /// before the start crosses midnight); none: closed all day.
    pub hours: Vec<(WallTime, WallTime)>,
    /// Why, for people ("Christmas Eve").
    pub reason: Option<String>,
}

/// Sunday-zero weekday number of a jiff weekday.
fn sunday_zero(weekday: Weekday) -> u8 {
    u8::try_from(weekday.to_sunday_zero_offset()).unwrap_or(0)
}

fn weekday_from(number: u8) -> Weekday {
    Weekday::from_sunday_zero_offset(i8::try_from(number).unwrap_or(0)).unwrap_or(Weekday::Sunday)
}

/// Western (Gregorian) Easter Sunday of `year` (the anonymous Gregorian
/// algorithm).
pub fn easter_sunday(year: i16) -> Option<Date> {
    let y = i32::from(year);
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    Date::new(year, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok()
}

fn add_days(date: Date, days: i64) -> Option<Date> {
    date.checked_add(jiff::Span::new().try_days(days).ok()?)
        .ok()
}

impl HolidayRule {
    /// The date the rule names in `year` itself (before any observed
    /// weekday); `None` in a year without it.
    pub fn date_in(&self, year: i16) -> Option<Date> {
        match *self {
            Self::Date { month, day, .. } => Date::new(year, month, day).ok(),
            Self::NthWeekday {
                month,
                weekday,
                nth,
            } => {
                let first = Date::new(year, month, 1).ok()?;
                let found = first
                    .nth_weekday_of_month(nth, weekday_from(weekday))
                    .ok()?;
                (found.month() == month).then_some(found)
            }
            Self::WeekdayOnOrBefore {
                month,
                day,
                weekday,
            } => {
                // 29 February in a common year counts from 28 February.
                let days = Date::new(year, month, 1).ok()?.days_in_month();
                let date = Date::new(year, month, day.min(days)).ok()?;
                let back =
                    (i64::from(sunday_zero(date.weekday())) - i64::from(weekday)).rem_euclid(7);
                add_days(date, -back)
            }
            Self::Easter { offset_days } => add_days(easter_sunday(year)?, i64::from(offset_days)),
        }
    }

    /// Whether the rule closes local `date`: its date, or that date's
    /// observed weekday (which may fall in the next or previous year).
    ///
    /// Cheap checks on the month, day and weekday come first, so asking
    /// about a date far from the holiday costs a few comparisons.
    pub fn falls_on(&self, date: Date) -> bool {
        match *self {
            Self::Date {
                month,
                day,
                observed,
            } => {
                if date.month() == month && date.day() == day {
                    return true;
                }
                // An observed day is at most one day before or two after.
                let weekday = date.weekday();
                let could_be_observed = match observed {
                    Observed::None => false,
                    Observed::NearestWeekday => {
                        matches!(weekday, Weekday::Friday | Weekday::Monday)
                    }
                    Observed::NextMonday => weekday == Weekday::Monday,
                };
                let near_month = date.month() == month
                    || (date.month() % 12) + 1 == month
                    || (month % 12) + 1 == date.month();
                if !could_be_observed || !near_month {
                    return false;
                }
                // Observed days are at most two days from the date itself, so
                // only a date in `date`'s year or a neighbouring one can name it.
                let candidates = [
                    date.year().checked_sub(1),
                    Some(date.year()),
                    date.year().checked_add(1),
                ];
                candidates.into_iter().flatten().any(|year| {
                    let Ok(actual) = Date::new(year, month, day) else {
                        return false;
                    };
                    if actual == date {
                        return true;
                    }
                    let shifted = match (observed, actual.weekday()) {
                        (Observed::NearestWeekday, Weekday::Saturday) => add_days(actual, -1),
                        (Observed::NearestWeekday | Observed::NextMonday, Weekday::Sunday) => {
                            add_days(actual, 1)
                        }
                        (Observed::NextMonday, Weekday::Saturday) => add_days(actual, 2),
                        _ => None,
                    };
                    shifted == Some(date)
                })
            }
            Self::NthWeekday { month, weekday, .. } => {
                date.month() == month
                    && sunday_zero(date.weekday()) == weekday
                    && self.date_in(date.year()) == Some(date)
            }
            Self::WeekdayOnOrBefore { month, weekday, .. } => {
                let near_month = date.month() == month || (date.month() % 12) + 1 == month;
                // A January rule may land on the last days of December.
                let year = if date.month() == 12 && month == 1 {
                    date.year().checked_add(1)
                } else {
                    Some(date.year())
                };
                near_month
                    && sunday_zero(date.weekday()) == weekday
                    && year.and_then(|y| self.date_in(y)) == Some(date)
            }
            Self::Easter { offset_days } => {
                // Far enough before Easter, the holiday is in the previous
                // December.
                if date.month() == 12 {
                    return date
                        .year()
                        .checked_add(1)
                        .and_then(|next| self.date_in(next))
                        == Some(date);
                }
                // Easter Sunday falls from 22 March (day 81) to 25 April.
                let leap = i16::from(date.in_leap_year());
                let earliest = 81 + leap + offset_days;
                let latest = 115 + leap + offset_days;
                (earliest..=latest).contains(&date.day_of_year())
                    && self.date_in(date.year()) == Some(date)
            }
        }
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const WEEKDAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

fn month_name(month: i8) -> &'static str {
    MONTHS[usize::try_from(month - 1).unwrap_or(0).min(11)]
}

fn weekday_name(weekday: u8) -> &'static str {
    WEEKDAYS[usize::from(weekday.min(6))]
}

impl HolidayRule {
    /// The rule in words: "4th Thursday of November", "25 December (also
    /// the nearest weekday)", "2 days before Easter Sunday".
    pub fn describe(&self) -> String {
        match *self {
            Self::Date {
                month,
                day,
                observed,
            } => {
                let base = format!("{day} {}", month_name(month));
                match observed {
                    Observed::None => base,
                    Observed::NearestWeekday => {
                        format!("{base} (Friday before or Monday after on a weekend)")
                    }
                    Observed::NextMonday => format!("{base} (and the Monday after on a weekend)"),
                }
            }
            Self::NthWeekday {
                month,
                weekday,
                nth,
            } => {
                let which = match nth {
                    -1 => "Last".to_owned(),
                    1 => "1st".to_owned(),
                    2 => "2nd".to_owned(),
                    3 => "3rd".to_owned(),
                    n => format!("{n}th"),
                };
                format!("{which} {} of {}", weekday_name(weekday), month_name(month))
            }
            Self::WeekdayOnOrBefore {
                month,
                day,
                weekday,
            } => format!(
                "{} on or before {day} {}",
                weekday_name(weekday),
                month_name(month)
            ),
            Self::Easter { offset_days } => match offset_days {
                0 => "Easter Sunday".to_owned(),
                d if d < 0 => format!("{} days before Easter Sunday", -d),
                d => format!("{d} days after Easter Sunday"),
            },
        }
    }

    /// The first date on or after `from` that the rule closes (looking two
    /// years ahead).
    pub fn next_on_or_after(&self, from: Date) -> Option<Date> {
        let mut date = from;
        for _ in 0..(2 * 366) {
            if self.falls_on(date) {
                return Some(date);
            }
            date = date.tomorrow().ok()?;
        }
        None
    }
}

impl Holiday {
    /// The holiday as the schedule document writes it.
    pub fn to_entry(&self) -> super::HolidayEntry {
        super::rules::holiday_entry(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        text.parse().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn easter_matches_published_dates() {
        for (year, expected) in [
            (2024, "2024-03-31"),
            (2025, "2025-04-20"),
            (2026, "2026-04-05"),
            (2027, "2027-03-28"),
            (2038, "2038-04-25"),
            (2285, "2285-03-22"),
        ] {
            assert_eq!(easter_sunday(year), Some(date(expected)), "{year}");
        }
    }

    #[test]
    fn rules_that_reach_back_into_december_close_it() {
        // The Friday on or before 3 January 2028 is 31 December 2027.
        let early_january = HolidayRule::WeekdayOnOrBefore {
            month: 1,
            day: 3,
            weekday: 5,
        };
        assert!(early_january.falls_on(date("2027-12-31")));
        // 100 days before Easter 2027 (28 March) is 18 December 2026.
        let advent = HolidayRule::Easter { offset_days: -100 };
        assert!(advent.falls_on(date("2026-12-18")));
        assert!(!advent.falls_on(date("2027-12-18")));
        // 29 February in a common year counts from 28 February.
        let leap = HolidayRule::WeekdayOnOrBefore {
            month: 2,
            day: 29,
            weekday: 1,
        };
        assert_eq!(leap.date_in(2027), Some(date("2027-02-22")));
        assert_eq!(leap.date_in(2028), Some(date("2028-02-28")));
    }

    #[test]
    fn rules_read_as_people_say_them() {
        let thanksgiving = HolidayRule::NthWeekday {
            month: 11,
            weekday: 4,
            nth: 4,
        };
        assert_eq!(thanksgiving.describe(), "4th Thursday of November");
        assert_eq!(
            thanksgiving.next_on_or_after(date("2026-11-27")),
            Some(date("2027-11-25"))
        );
        assert_eq!(
            HolidayRule::Easter { offset_days: -2 }.describe(),
            "2 days before Easter Sunday"
        );
    }

    #[test]
    fn a_saturday_date_is_observed_on_the_friday_even_across_new_year() {
        let new_year = HolidayRule::Date {
            month: 1,
            day: 1,
            observed: Observed::NearestWeekday,
        };
        // 2028-01-01 is a Saturday: observed Friday 2027-12-31.
        assert!(new_year.falls_on(date("2027-12-31")));
        assert!(new_year.falls_on(date("2028-01-01")));
        assert!(!new_year.falls_on(date("2028-01-03")));
    }
}
