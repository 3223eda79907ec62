//! What a schedule means day by day, for people: the preview of CONTRACT
//! section 8 (each local date's occurrences and what decided the date) and
//! why the business is open or closed at an instant.

use jiff::Timestamp;
use jiff::civil::Date;

use super::{DayRule, MAX_PREVIEW_DAYS, WeeklySchedule, add_days};

/// One local date of a preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewDay {
    /// The local date.
    pub date: Date,
    /// The non-empty occurrences that start on it, in start order, neither
    /// merged nor clipped.
    pub open: Vec<(Timestamp, Timestamp)>,
    /// The name or reason of the holiday, closure or special hours that
    /// decided the date, if one did and has one.
    pub note: Option<String>,
}

/// A preview as CONTRACT section 8 writes it (the CLI's output and the
/// preview API's answer).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SchedulePreview {
    /// The schedule's time zone.
    pub timezone: String,
    /// One entry per local date.
    pub days: Vec<PreviewDate>,
}

/// One local date of a [`SchedulePreview`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PreviewDate {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Occurrences starting on the date, RFC 3339 UTC.
    pub open: Vec<PreviewInterval>,
    /// What decided the date, when something did and has a name.
    pub note: Option<String>,
}

/// One open occurrence of a [`PreviewDate`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PreviewInterval {
    /// Start, RFC 3339 UTC.
    pub start: String,
    /// End, RFC 3339 UTC.
    pub end: String,
}

/// Why a schedule is open or closed at an instant, for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    /// Inside an occurrence from `start` to `end`; `special` holds the
    /// reason when it comes from special hours (empty reason: none given).
    Open {
        /// Start of the occurrence.
        start: Timestamp,
        /// End of the occurrence.
        end: Timestamp,
        /// Special hours' reason, when special hours decide the date.
        special: Option<Option<String>>,
    },
    /// The date's special hours do not cover it (their reason, if any).
    OutsideSpecialHours(Option<String>),
    /// A closure or a holiday closes the date (its reason or name).
    ClosedDate(Option<String>),
    /// Between two shifts of the same date (a lunch break): the first ended
    /// at `ended`, the next starts at `resumes`.
    BetweenShifts {
        /// End of the earlier shift.
        ended: Timestamp,
        /// Start of the next one.
        resumes: Timestamp,
    },
    /// Before the date's first shift or after its last one.
    OutsideShifts,
    /// No shift starts on this weekday.
    NoShiftThatDay,
}

impl WeeklySchedule {
    /// The opening of `days` local dates from `from` (CONTRACT section 8's
    /// preview): per date, the occurrences that start on it, in start
    /// order, and what decided it.
    pub fn preview(&self, from: Date, days: u32) -> Vec<PreviewDay> {
        let mut preview = Vec::with_capacity(days.min(MAX_PREVIEW_DAYS) as usize);
        let mut date = from;
        for _ in 0..days.min(MAX_PREVIEW_DAYS) {
            let mut open = Vec::new();
            self.for_each_occurrence(date, |start, end| open.push((start, end)));
            open.sort_unstable();
            let note = match self.day_rule(date) {
                DayRule::Special(special) => special.reason.clone(),
                DayRule::Closed(reason) => reason.map(str::to_owned),
                DayRule::Weekly => None,
            };
            preview.push(PreviewDay { date, open, note });
            let Ok(next) = date.tomorrow() else { break };
            date = next;
        }
        preview
    }

    /// Why the schedule is open or closed at `at`.
    pub fn why(&self, at: Timestamp) -> Why {
        let today = self.local_date_at(at);
        // An open instant: the occurrence covering it, and whose it is.
        for offset in [0, -1, -2, 1] {
            let Some(date) = add_days(today, offset) else {
                continue;
            };
            let mut covering = None;
            self.for_each_occurrence(date, |start, end| {
                if start <= at && at < end && covering.is_none() {
                    covering = Some((start, end));
                }
            });
            if let Some((start, end)) = covering {
                let special = match self.day_rule(date) {
                    DayRule::Special(entry) => Some(entry.reason.clone()),
                    _ => None,
                };
                return Why::Open {
                    start,
                    end,
                    special,
                };
            }
        }
        match self.day_rule(today) {
            DayRule::Special(entry) => Why::OutsideSpecialHours(entry.reason.clone()),
            DayRule::Closed(reason) => Why::ClosedDate(reason.map(str::to_owned)),
            DayRule::Weekly => {
                let mut occurrences = Vec::new();
                self.for_each_occurrence(today, |start, end| occurrences.push((start, end)));
                if occurrences.is_empty() {
                    return Why::NoShiftThatDay;
                }
                let ended = occurrences
                    .iter()
                    .map(|(_, e)| *e)
                    .filter(|e| *e <= at)
                    .max();
                let resumes = occurrences
                    .iter()
                    .map(|(s, _)| *s)
                    .filter(|s| *s > at)
                    .min();
                match (ended, resumes) {
                    (Some(ended), Some(resumes)) => Why::BetweenShifts { ended, resumes },
                    _ => Why::OutsideShifts,
                }
            }
        }
    }

    /// [`Self::preview`] as the contract's JSON object.
    pub fn preview_document(&self, from: Date, days: u32) -> SchedulePreview {
        SchedulePreview {
            timezone: self.timezone.as_str().to_owned(),
            days: self
                .preview(from, days)
                .into_iter()
                .map(|day| PreviewDate {
                    date: day.date.to_string(),
                    open: day
                        .open
                        .iter()
                        .map(|(start, end)| PreviewInterval {
                            start: start.to_string(),
                            end: end.to_string(),
                        })
                        .collect(),
                    note: day.note,
                })
                .collect(),
        }
    }
}
