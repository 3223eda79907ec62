//! Wall-clock times of day as a schedule writes them (`HH:MM`).

use std::fmt;

use jiff::civil::{Date, DateTime, Time};

/// Minutes in a day; `24:00` is this many minutes after midnight.
const MINUTES_PER_DAY: u16 = 24 * 60;

/// A local wall-clock time of day with minute precision, `00:00` to `24:00`.
///
/// `24:00` stands for the midnight that ends a day and is only meaningful
/// as the end of an interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WallTime {
    minutes: u16,
}

impl WallTime {
    /// Midnight at the start of a day.
    pub const MIDNIGHT: Self = Self { minutes: 0 };
    /// Midnight at the end of a day, written `24:00`.
    pub const END_OF_DAY: Self = Self {
        minutes: MINUTES_PER_DAY,
    };

    /// Builds a time from hours and minutes; `None` unless `00:00..=24:00`.
    pub fn from_hm(hour: u8, minute: u8) -> Option<Self> {
        let minutes = u16::from(hour) * 60 + u16::from(minute);
        (minute < 60 && minutes <= MINUTES_PER_DAY).then_some(Self { minutes })
    }

    /// Parses exactly `HH:MM`, `00:00` to `24:00`; `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        let bytes = text.as_bytes();
        if bytes.len() != 5 || bytes[2] != b':' {
            return None;
        }
        let two = |hi: u8, lo: u8| -> Option<u8> {
            (hi.is_ascii_digit() && lo.is_ascii_digit()).then(|| (hi - b'0') * 10 + (lo - b'0'))
        };
        Self::from_hm(two(bytes[0], bytes[1])?, two(bytes[3], bytes[4])?)
    }

    /// Minutes after midnight, `0..=1440`.
    pub fn minutes(self) -> u16 {
        self.minutes
    }

    /// Whether this is `24:00`.
    pub fn is_end_of_day(self) -> bool {
        self == Self::END_OF_DAY
    }

    /// The wall-clock date and time this time of day names on `date`;
    /// `24:00` is midnight of the next day. `None` only at the calendar's end.
    pub(crate) fn on(self, date: Date) -> Option<DateTime> {
        if self.is_end_of_day() {
            return date.tomorrow().ok().map(|next| next.at(0, 0, 0, 0));
        }
        let hour = (self.minutes / 60) as i8;
        let minute = (self.minutes % 60) as i8;
        Time::new(hour, minute, 0, 0)
            .ok()
            .map(|time| date.to_datetime(time))
    }
}

impl fmt::Display for WallTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.minutes / 60, self.minutes % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_hh_mm_including_24_00() {
        let cases = [
            ("00:00", 0),
            ("09:05", 545),
            ("23:59", 1439),
            ("24:00", 1440),
        ];
        for (text, minutes) in cases {
            assert_eq!(
                WallTime::parse(text).map(WallTime::minutes),
                Some(minutes),
                "{text}"
            );
            assert_eq!(
                WallTime::parse(text).map(|t| t.to_string()).as_deref(),
                Some(text)
            );
        }
    }

    #[test]
    fn refuses_anything_else() {
        for text in [
            "", "9:00", "09:00:00", "24:01", "25:00", "12:60", "ab:cd", "09-00", "+9:00",
        ] {
            assert_eq!(WallTime::parse(text), None, "{text}");
        }
    }
}
