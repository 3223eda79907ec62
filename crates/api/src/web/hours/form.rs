//! The hours form: its rows as typed, read from a posted form or a stored
//! schedule, turned into a schedule document, and the service's refusal
//! attached to the row it is about.

use hotline_domain::ScheduleDocument;
use hotline_domain::admin::Invalid;
use hotline_domain::schedule::{
    ClosureEntry, HolidayEntry, HolidaySet, HoursEntry, SpecialHoursEntry, SpecialInterval,
    WallTime,
};

use super::super::form::FormFields;
use super::times::forgiving;

/// Weekdays in the order the page lists them, Monday first, as
/// `day_of_week` numbers (0 = Sunday).
pub(super) const WEEK: [u8; 7] = [1, 2, 3, 4, 5, 6, 0];
/// The most rows of one kind a submitted form may have (more than any
/// list of a schedule may hold, so nothing stored is cut off).
pub(super) const MAX_ROWS: usize = 1000;

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

/// One stored holiday as listed in the form.
#[derive(Debug, Clone, Default)]
pub(super) struct HolidayRow {
    /// The rule as the document writes it (carried in a hidden field).
    pub(super) entry: HolidayEntry,
    /// Ticked to remove it on save.
    pub(super) remove: bool,
}

/// The "add a holiday" row, as typed.
#[derive(Debug, Clone, Default)]
pub(super) struct NewHoliday {
    pub(super) name: String,
    pub(super) rule: String,
    pub(super) month: String,
    pub(super) day: String,
    pub(super) weekday: String,
    pub(super) nth: String,
    pub(super) observed: String,
    pub(super) offset_days: String,
}

impl NewHoliday {
    fn is_blank(&self) -> bool {
        self.name.is_empty() && self.rule.is_empty()
    }

    /// The holiday entry: only the fields its rule takes, numbers as typed
    /// (the schedule's validation names a bad one).
    fn entry(&self) -> HolidayEntry {
        let number = |text: &str| {
            let text = text.trim();
            (!text.is_empty()).then(|| {
                text.parse::<i64>()
                    .map_or_else(|_| serde_json::Value::from(text), serde_json::Value::from)
            })
        };
        let mut entry = HolidayEntry {
            name: (!self.name.trim().is_empty()).then(|| self.name.trim().into()),
            rule: (!self.rule.is_empty()).then(|| self.rule.clone().into()),
            ..HolidayEntry::default()
        };
        match self.rule.as_str() {
            "date" => {
                entry.month = number(&self.month);
                entry.day = number(&self.day);
                entry.observed = (!self.observed.is_empty()).then(|| self.observed.clone().into());
            }
            "nth_weekday" => {
                entry.month = number(&self.month);
                entry.weekday = number(&self.weekday);
                entry.nth = number(&self.nth);
            }
            "weekday_on_or_before" => {
                entry.month = number(&self.month);
                entry.day = number(&self.day);
                entry.weekday = number(&self.weekday);
            }
            "easter" => entry.offset_days = number(&self.offset_days),
            _ => {}
        }
        entry
    }
}

/// One special-hours date as typed.
#[derive(Debug, Clone, Default)]
pub(super) struct SpecialRow {
    pub(super) date: String,
    /// Up to two intervals as typed.
    pub(super) hours: Vec<(String, String)>,
    pub(super) closed: bool,
    pub(super) reason: String,
    pub(super) error: Option<String>,
}

impl SpecialRow {
    pub(super) fn is_blank(&self) -> bool {
        self.date.is_empty()
            && self.reason.is_empty()
            && !self.closed
            && self.hours.iter().all(|(s, e)| s.is_empty() && e.is_empty())
    }
}

/// The whole form, as stored or as submitted.
#[derive(Debug, Clone, Default)]
pub(super) struct HoursForm {
    pub(super) timezone: String,
    pub(super) timezone_error: Option<String>,
    pub(super) shifts: Vec<ShiftRow>,
    pub(super) closures: Vec<ClosureRow>,
    pub(super) holidays: Vec<HolidayRow>,
    pub(super) new_holiday: NewHoliday,
    /// A problem with the holidays (the new one, or a set).
    pub(super) holiday_error: Option<String>,
    /// The ready-made set whose button was pressed.
    pub(super) holiday_set: Option<&'static HolidaySet>,
    pub(super) specials: Vec<SpecialRow>,
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
            holidays: document
                .holidays
                .iter()
                .map(|entry| HolidayRow {
                    entry: entry.clone(),
                    remove: false,
                })
                .collect(),
            specials: document
                .special_hours
                .iter()
                .map(|s| {
                    let hours: Vec<(String, String)> = s
                        .hours
                        .iter()
                        .flatten()
                        .map(|i| {
                            (
                                i.start_time.clone().unwrap_or_default(),
                                i.end_time.clone().unwrap_or_default(),
                            )
                        })
                        .collect();
                    SpecialRow {
                        date: s.date.clone().unwrap_or_default(),
                        closed: hours.is_empty(),
                        hours,
                        reason: s.reason.clone().unwrap_or_default(),
                        error: None,
                    }
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
                start: forgiving(&fields.text(&format!("shift{n}_start"))),
                end: forgiving(&fields.text(&format!("shift{n}_end"))),
                active: fields.checked(&format!("shift{n}_active")),
                error: None,
            });
        }
        // "Copy to": the chosen day's shifts replace the ticked days' shifts.
        if let Some(from) = fields
            .get("copy_from")
            .and_then(|d| d.trim().parse::<u8>().ok())
            .filter(|d| *d <= 6)
        {
            let source: Vec<ShiftRow> = shifts
                .iter()
                .filter(|s| s.day == from && !s.is_blank())
                .cloned()
                .collect();
            for to in WEEK {
                if to != from && fields.checked(&format!("copy_to_{to}")) {
                    shifts.retain(|s| s.day != to);
                    shifts.extend(source.iter().map(|s| ShiftRow {
                        day: to,
                        day_of_week: i64::from(to),
                        ..s.clone()
                    }));
                }
            }
        }
        let mut holidays = Vec::new();
        for n in 0..MAX_ROWS {
            let Some(json) = fields.get(&format!("holiday{n}_rule")) else {
                break;
            };
            if let Ok(entry) = serde_json::from_str::<HolidayEntry>(json) {
                holidays.push(HolidayRow {
                    entry,
                    remove: fields.checked(&format!("holiday{n}_remove")),
                });
            }
        }
        let new_holiday = NewHoliday {
            name: fields.text("new_holiday_name"),
            rule: fields.text("new_holiday_rule"),
            month: fields.text("new_holiday_month"),
            day: fields.text("new_holiday_day"),
            weekday: fields.text("new_holiday_weekday"),
            nth: fields.text("new_holiday_nth"),
            observed: fields.text("new_holiday_observed"),
            offset_days: fields.text("new_holiday_offset_days"),
        };
        let holiday_set = fields.get("holiday_set").and_then(HolidaySet::find);
        let mut specials = Vec::new();
        for n in 0..MAX_ROWS {
            let Some(date) = fields.get(&format!("special{n}_date")) else {
                break;
            };
            let hours = (1..=hotline_domain::schedule::MAX_SPECIAL_INTERVALS)
                .filter(|k| *k <= 2 || fields.get(&format!("special{n}_start{k}")).is_some())
                .map(|k| {
                    (
                        forgiving(&fields.text(&format!("special{n}_start{k}"))),
                        forgiving(&fields.text(&format!("special{n}_end{k}"))),
                    )
                })
                .collect();
            specials.push(SpecialRow {
                date: date.trim().to_owned(),
                hours,
                closed: fields.checked(&format!("special{n}_closed")),
                reason: fields.text(&format!("special{n}_reason")),
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
            holidays,
            new_holiday,
            holiday_set,
            specials,
            ..Self::default()
        }
    }

    /// The holidays to save: those kept, a ready-made set's (skipping names
    /// already there) and the new one.
    fn holiday_entries(&self) -> Vec<HolidayEntry> {
        let mut entries: Vec<HolidayEntry> = self
            .holidays
            .iter()
            .filter(|row| !row.remove)
            .map(|row| row.entry.clone())
            .collect();
        if let Some(set) = self.holiday_set {
            for holiday in set.holidays() {
                let entry = holiday.to_entry();
                if !entries.iter().any(|e| e.name == entry.name) {
                    entries.push(entry);
                }
            }
        }
        if !self.new_holiday.is_blank() {
            entries.push(self.new_holiday.entry());
        }
        entries
    }

    /// The special-hours entries of the filled-in rows, with their rows.
    fn special_entries(&self) -> (Vec<SpecialHoursEntry>, Vec<usize>) {
        let rows: Vec<usize> = (0..self.specials.len())
            .filter(|&i| !self.specials[i].is_blank())
            .collect();
        let entries = rows
            .iter()
            .map(|&i| {
                let row = &self.specials[i];
                let hours = if row.closed {
                    Vec::new()
                } else {
                    row.hours
                        .iter()
                        .filter(|(s, e)| !s.is_empty() || !e.is_empty())
                        .map(|(s, e)| SpecialInterval {
                            start_time: Some(s.clone()),
                            end_time: Some(e.clone()),
                        })
                        .collect()
                };
                SpecialHoursEntry {
                    date: Some(row.date.clone()),
                    hours: Some(hours),
                    reason: Some(row.reason.trim().to_owned()).filter(|r| !r.is_empty()),
                }
            })
            .collect();
        (entries, rows)
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
            holidays: self.holiday_entries(),
            special_hours: self.special_entries().0,
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
        } else if field.starts_with("holidays") {
            self.holiday_error = Some(format!("{}: {message}", holiday_field(field)));
        } else if let Some((index, _)) = indexed("special_hours[") {
            let rows = self.special_entries().1;
            if let Some(row) = rows.get(index).and_then(|&i| self.specials.get_mut(i)) {
                row.error = Some(message);
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
            || self.holiday_error.is_some()
            || self.specials.iter().any(|s| s.error.is_some())
            || self.shifts.iter().any(|s| s.error.is_some())
            || self.closures.iter().any(|c| c.error.is_some())
    }
}

/// A holiday field path in words: `holidays[3].nth` is "Holiday 4, nth".
fn holiday_field(field: &str) -> String {
    let Some(rest) = field.strip_prefix("holidays[") else {
        return "Holidays".to_owned();
    };
    match rest.split_once(']') {
        Some((index, tail)) => {
            let n = index.parse::<usize>().map_or(0, |i| i + 1);
            let part = tail.trim_start_matches('.').replace('_', " ");
            if part.is_empty() {
                format!("Holiday {n}")
            } else {
                format!("Holiday {n}, {part}")
            }
        }
        None => "Holidays".to_owned(),
    }
}
