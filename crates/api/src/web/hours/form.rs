//! The hours form: its rows as typed, read from a posted form or a stored
//! schedule, turned into a schedule document, and the service's refusal
//! attached to the row it is about.

use hotline_domain::ScheduleDocument;
use hotline_domain::admin::Invalid;
use hotline_domain::schedule::{ClosureEntry, HoursEntry, WallTime};

use super::super::form::FormFields;

/// Weekdays in the order the page lists them, Monday first, as
/// `day_of_week` numbers (0 = Sunday).
pub(super) const WEEK: [u8; 7] = [1, 2, 3, 4, 5, 6, 0];
/// The most rows a submitted form may have.
pub(super) const MAX_ROWS: usize = 200;

pub(super) fn day_name(day: u8) -> &'static str {
    [
        "Sunday",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
    ][usize::from(day % 7)]
}

fn day_short(day: u8) -> &'static str {
    &day_name(day)[..3]
}

/// One shift as typed in the form.
#[derive(Debug, Clone, Default)]
pub(super) struct ShiftRow {
    /// The weekday shown (0 = Sunday).
    pub(super) day: u8,
    /// The weekday as posted; one outside 0..6 is refused by validation
    /// (never read as another day).
    pub(super) day_of_week: i64,
    pub(super) start: String,
    pub(super) end: String,
    pub(super) active: bool,
    /// The field at fault (`start_time`, `end_time` or the row) and why.
    pub(super) error: Option<(String, String)>,
}

impl ShiftRow {
    pub(super) fn is_blank(&self) -> bool {
        self.start.is_empty() && self.end.is_empty()
    }

    /// "Fri 20:00 to Sat 08:00" for an overnight shift, "Mon 09:00 to 17:00"
    /// otherwise; `None` while a time is not valid.
    pub(super) fn span(&self) -> Option<String> {
        let start = WallTime::parse(&self.start)?;
        let end = WallTime::parse(&self.end)?;
        let day = day_short(self.day);
        if end.minutes() <= start.minutes() || end.is_end_of_day() {
            let next = day_short((self.day + 1) % 7);
            let end_text = if end.is_end_of_day() {
                "00:00".to_owned()
            } else {
                self.end.clone()
            };
            if end.minutes() == start.minutes() || (start.minutes() == 0 && end.is_end_of_day()) {
                return Some(format!(
                    "{day} {} to {next} {end_text} (24 hours)",
                    self.start
                ));
            }
            if end.is_end_of_day() {
                return Some(format!("{day} {} to midnight", self.start));
            }
            return Some(format!(
                "{day} {} to {next} {end_text} (overnight)",
                self.start
            ));
        }
        Some(format!("{day} {} to {}", self.start, self.end))
    }
}

/// One closure as typed in the form.
#[derive(Debug, Clone, Default)]
pub(super) struct ClosureRow {
    pub(super) date: String,
    pub(super) reason: String,
    pub(super) error: Option<String>,
}

/// The whole form, as stored or as submitted.
#[derive(Debug, Clone, Default)]
pub(super) struct HoursForm {
    pub(super) timezone: String,
    pub(super) timezone_error: Option<String>,
    pub(super) shifts: Vec<ShiftRow>,
    pub(super) closures: Vec<ClosureRow>,
    /// A problem that belongs to no single field.
    pub(super) general_error: Option<String>,
}

impl HoursForm {
    pub(super) fn from_document(document: &ScheduleDocument) -> Self {
        Self {
            timezone: document.timezone.clone(),
            shifts: document
                .hours
                .iter()
                .map(|h| ShiftRow {
                    day: u8::try_from(h.day_of_week.rem_euclid(7)).unwrap_or(0),
                    day_of_week: h.day_of_week,
                    start: h.start_time.clone(),
                    end: h.end_time.clone(),
                    active: h.is_active,
                    error: None,
                })
                .collect(),
            closures: document
                .closures
                .iter()
                .map(|c| ClosureRow {
                    date: c.date.clone(),
                    reason: c.reason.clone().unwrap_or_default(),
                    error: None,
                })
                .collect(),
            ..Self::default()
        }
    }

    pub(super) fn from_fields(fields: &FormFields) -> Self {
        let mut shifts = Vec::new();
        for n in 0..MAX_ROWS {
            let Some(day) = fields.get(&format!("shift{n}_day")) else {
                break;
            };
            let day_of_week = day.trim().parse::<i64>().unwrap_or(-1);
            shifts.push(ShiftRow {
                day: u8::try_from(day_of_week.rem_euclid(7)).unwrap_or(0),
                day_of_week,
                start: fields.text(&format!("shift{n}_start")),
                end: fields.text(&format!("shift{n}_end")),
                active: fields.checked(&format!("shift{n}_active")),
                error: None,
            });
        }
        let mut closures = Vec::new();
        for n in 0..MAX_ROWS {
            let Some(date) = fields.get(&format!("closure{n}_date")) else {
                break;
            };
            closures.push(ClosureRow {
                date: date.to_owned(),
                reason: fields.text(&format!("closure{n}_reason")),
                error: None,
            });
        }
        Self {
            timezone: fields.text("timezone"),
            shifts,
            closures,
            ..Self::default()
        }
    }

    /// The schedule document of the filled-in rows, with the form row of
    /// each shift and closure in the document.
    pub(super) fn to_document(&self) -> (ScheduleDocument, Vec<usize>, Vec<usize>) {
        let shift_rows: Vec<usize> = (0..self.shifts.len())
            .filter(|&i| !self.shifts[i].is_blank())
            .collect();
        let closure_rows: Vec<usize> = (0..self.closures.len())
            .filter(|&i| !self.closures[i].date.is_empty())
            .collect();
        let document = ScheduleDocument {
            timezone: self.timezone.clone(),
            hours: shift_rows
                .iter()
                .map(|&i| {
                    let row = &self.shifts[i];
                    HoursEntry {
                        day_of_week: row.day_of_week,
                        start_time: row.start.clone(),
                        end_time: row.end.clone(),
                        is_active: row.active,
                    }
                })
                .collect(),
            closures: closure_rows
                .iter()
                .map(|&i| {
                    let row = &self.closures[i];
                    ClosureEntry {
                        date: row.date.clone(),
                        reason: Some(row.reason.clone()).filter(|r| !r.is_empty()),
                    }
                })
                .collect(),
            holidays: Vec::new(),
            special_hours: Vec::new(),
        };
        (document, shift_rows, closure_rows)
    }

    /// Puts a validation error next to the field it names.
    pub(super) fn attach(&mut self, error: &Invalid, shift_rows: &[usize], closure_rows: &[usize]) {
        let message = match error.code {
            "duplicate_interval" => "this shift is listed twice".to_owned(),
            _ => error.message.clone(),
        };
        let field = error.field.as_str();
        let indexed = |prefix: &str| -> Option<(usize, String)> {
            let rest = field.strip_prefix(prefix)?;
            let (index, tail) = rest.split_once(']')?;
            Some((index.parse().ok()?, tail.trim_start_matches('.').to_owned()))
        };
        if field == "timezone" {
            self.timezone_error = Some(message);
        } else if let Some((index, part)) = indexed("hours[") {
            if let Some(row) = shift_rows.get(index).and_then(|&i| self.shifts.get_mut(i)) {
                row.error = Some((part, message));
                return;
            }
            self.general_error = Some(format!("{field}: {message}"));
        } else if let Some((index, _)) = indexed("closures[") {
            if let Some(row) = closure_rows
                .get(index)
                .and_then(|&i| self.closures.get_mut(i))
            {
                row.error = Some(message);
                return;
            }
            self.general_error = Some(format!("{field}: {message}"));
        } else {
            self.general_error = Some(format!("{field}: {message}"));
        }
    }

    pub(super) fn has_errors(&self) -> bool {
        self.timezone_error.is_some()
            || self.general_error.is_some()
            || self.shifts.iter().any(|s| s.error.is_some())
            || self.closures.iter().any(|c| c.error.is_some())
    }
}
