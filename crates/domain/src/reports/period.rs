//! A period of local dates in a client's time zone, as reports take it.

use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::Timestamp;

/// Local dates `from..=to` and the instants `[start, end)` they cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// First local date.
    pub from: Date,
    /// Last local date.
    pub to: Date,
    /// The first instant of `from`.
    pub start: Timestamp,
    /// The first instant after `to`.
    pub end: Timestamp,
}

/// A period that cannot be read, naming the parameter.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct PeriodError {
    /// `from` or `to`.
    pub field: &'static str,
    /// What is wrong.
    pub message: String,
}

impl Period {
    /// The period from `from` to `to` (`YYYY-MM-DD`, both optional) in
    /// `zone`: `from` defaults to today, `to` to the later of `from` and today.
    ///
    /// # Errors
    ///
    /// [`PeriodError`] for a malformed date, `to` before `from`, or dates
    /// out of range.
    pub fn parse(
        zone: &TimeZone,
        from: Option<&str>,
        to: Option<&str>,
        now: Timestamp,
    ) -> Result<Self, PeriodError> {
        let today = zone.to_datetime(now).date();
        let date = |field: &'static str, text: Option<&str>| {
            text.filter(|t| !t.is_empty())
                .map(|t| {
                    t.parse::<Date>().map_err(|_| PeriodError {
                        field,
                        message: format!("{field} must be a date YYYY-MM-DD"),
                    })
                })
                .transpose()
        };
        let from = date("from", from)?.unwrap_or(today);
        let to = date("to", to)?.unwrap_or(from.max(today));
        if to < from {
            return Err(PeriodError {
                field: "to",
                message: "to is before from".to_owned(),
            });
        }
        Self::of_dates(zone, from, to).ok_or(PeriodError {
            field: "from",
            message: "dates out of range".to_owned(),
        })
    }

    /// The period as long as this one that ends the day before it starts,
    /// to compare with; `None` out of range.
    pub fn previous(&self, zone: &TimeZone) -> Option<Self> {
        let days = self.from.until(self.to).ok()?.get_days();
        let to = self.from.yesterday().ok()?;
        let from = to.checked_sub(jiff::Span::new().days(days)).ok()?;
        Self::of_dates(zone, from, to)
    }

    /// The period of local dates `from..=to` in `zone`; `None` out of range.
    pub fn of_dates(zone: &TimeZone, from: Date, to: Date) -> Option<Self> {
        Some(Self {
            from,
            to,
            start: start_of(zone, from)?,
            end: start_of(zone, to.tomorrow().ok()?)?,
        })
    }
}

/// The first instant of a local date.
pub fn start_of(zone: &TimeZone, date: Date) -> Option<Timestamp> {
    zone.to_ambiguous_timestamp(date.at(0, 0, 0, 0))
        .compatible()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn the_previous_period_is_as_long_and_ends_the_day_before() {
        let zone = TimeZone::get("America/Edmonton").unwrap_or_else(|e| panic!("{e}"));
        let week = Period::of_dates(&zone, date("2026-11-23"), date("2026-11-29"))
            .unwrap_or_else(|| panic!("a week"));
        let before = week.previous(&zone).unwrap_or_else(|| panic!("previous"));
        assert_eq!(
            (before.from, before.to),
            (date("2026-11-16"), date("2026-11-22"))
        );
        assert_eq!(before.end, week.start);
        let day = Period::of_dates(&zone, date("2026-03-01"), date("2026-03-01"))
            .unwrap_or_else(|| panic!("a day"));
        let before = day.previous(&zone).unwrap_or_else(|| panic!("previous"));
        assert_eq!(
            (before.from, before.to),
            (date("2026-02-28"), date("2026-02-28"))
        );
    }
}
