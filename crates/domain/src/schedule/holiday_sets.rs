//! Ready-made holiday sets, one click each on the hours page: the public
//! holidays of the United States (federal), Canada (national) and the
//! United Kingdom (England and Wales), as rules that recur every year.
//!
//! One case the rules cannot say: Canada and the United Kingdom move
//! Boxing Day to the Tuesday when Christmas takes the Monday, both when
//! the two fall on Saturday and Sunday (2027, 2032) and when Christmas is
//! a Sunday (2033, 2039); here such a Tuesday stays open, so those years
//! need a closure or special hours for it.

use super::calendar::{Holiday, HolidayRule, Observed};

/// A named set of holidays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HolidaySet {
    /// Short key used in forms: `us`, `ca`, `uk`.
    pub key: &'static str,
    /// For people.
    pub label: &'static str,
    /// `(name, rule)` pairs.
    pub holidays: &'static [(&'static str, HolidayRule)],
}

const fn date(month: i8, day: i8, observed: Observed) -> HolidayRule {
    HolidayRule::Date {
        month,
        day,
        observed,
    }
}

const fn nth(month: i8, weekday: u8, nth: i8) -> HolidayRule {
    HolidayRule::NthWeekday {
        month,
        weekday,
        nth,
    }
}

const MONDAY: u8 = 1;
const THURSDAY: u8 = 4;
const NEAREST: Observed = Observed::NearestWeekday;
const MONDAY_AFTER: Observed = Observed::NextMonday;

/// The United States' federal holidays (5 U.S.C. 6103).
const US: &[(&str, HolidayRule)] = &[
    ("New Year's Day", date(1, 1, NEAREST)),
    ("Martin Luther King Jr. Day", nth(1, MONDAY, 3)),
    ("Washington's Birthday", nth(2, MONDAY, 3)),
    ("Memorial Day", nth(5, MONDAY, -1)),
    ("Juneteenth", date(6, 19, NEAREST)),
    ("Independence Day", date(7, 4, NEAREST)),
    ("Labor Day", nth(9, MONDAY, 1)),
    ("Columbus Day", nth(10, MONDAY, 2)),
    ("Veterans Day", date(11, 11, NEAREST)),
    ("Thanksgiving Day", nth(11, THURSDAY, 4)),
    ("Christmas Day", date(12, 25, NEAREST)),
];

/// Canada's federal statutory holidays.
const CA: &[(&str, HolidayRule)] = &[
    ("New Year's Day", date(1, 1, MONDAY_AFTER)),
    ("Good Friday", HolidayRule::Easter { offset_days: -2 }),
    (
        "Victoria Day",
        HolidayRule::WeekdayOnOrBefore {
            month: 5,
            day: 24,
            weekday: MONDAY,
        },
    ),
    ("Canada Day", date(7, 1, MONDAY_AFTER)),
    ("Labour Day", nth(9, MONDAY, 1)),
    (
        "National Day for Truth and Reconciliation",
        date(9, 30, MONDAY_AFTER),
    ),
    ("Thanksgiving", nth(10, MONDAY, 2)),
    ("Remembrance Day", date(11, 11, MONDAY_AFTER)),
    ("Christmas Day", date(12, 25, MONDAY_AFTER)),
    ("Boxing Day", date(12, 26, MONDAY_AFTER)),
];

/// England and Wales' bank holidays.
const UK: &[(&str, HolidayRule)] = &[
    ("New Year's Day", date(1, 1, MONDAY_AFTER)),
    ("Good Friday", HolidayRule::Easter { offset_days: -2 }),
    ("Easter Monday", HolidayRule::Easter { offset_days: 1 }),
    ("Early May bank holiday", nth(5, MONDAY, 1)),
    ("Spring bank holiday", nth(5, MONDAY, -1)),
    ("Summer bank holiday", nth(8, MONDAY, -1)),
    ("Christmas Day", date(12, 25, MONDAY_AFTER)),
    ("Boxing Day", date(12, 26, MONDAY_AFTER)),
];

/// Every ready-made set.
pub const HOLIDAY_SETS: [HolidaySet; 3] = [
    HolidaySet {
        key: "us",
        label: "United States federal holidays",
        holidays: US,
    },
    HolidaySet {
        key: "ca",
        label: "Canada national holidays",
        holidays: CA,
    },
    HolidaySet {
        key: "uk",
        label: "United Kingdom bank holidays (England and Wales)",
        holidays: UK,
    },
];

impl HolidaySet {
    /// The set with this key.
    pub fn find(key: &str) -> Option<&'static Self> {
        HOLIDAY_SETS.iter().find(|set| set.key == key)
    }

    /// The set's holidays as schedule holidays.
    pub fn holidays(&self) -> Vec<Holiday> {
        self.holidays
            .iter()
            .map(|(name, rule)| Holiday {
                name: Some((*name).to_owned()),
                rule: *rule,
            })
            .collect()
    }
}
