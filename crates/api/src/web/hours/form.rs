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

    /// Checks every row before saving and marks each problem on its row,
    /// in plain words, so one save shows them all: times that are not
    /// times, a shift listed twice, a closure or special hours without a
    /// date (its reason would otherwise be lost), dates that are not dates,
    /// two special hours for one date. Whether any was found.
    pub(super) fn check_rows(&mut self) -> bool {
        let not_a_time =
            |text: &str| format!("{text:?} is not a time: type it like 8, 08:30, 8am or 5 pm");
        for i in 0..self.shifts.len() {
            let row = &self.shifts[i];
            if row.is_blank() {
                continue;
            }
            let problem = if row.start.is_empty() {
                Some(("start_time", "a start time is needed".to_owned()))
            } else if row.end.is_empty() {
                Some(("end_time", "an end time is needed".to_owned()))
            } else if normalize_time(&row.start).is_none() {
                Some(("start_time", not_a_time(&row.start)))
            } else if row.start == "24:00" {
                Some((
                    "start_time",
                    "24:00 can only end a shift; start at 00:00".to_owned(),
                ))
            } else if normalize_time(&row.end).is_none() {
                Some(("end_time", not_a_time(&row.end)))
            } else if self.shifts[..i].iter().any(|earlier| {
                earlier.day == row.day && earlier.start == row.start && earlier.end == row.end
            }) {
                Some(("shift", "this shift is listed twice".to_owned()))
            } else {
                None
            };
            if let Some((part, message)) = problem {
                self.shifts[i].error = Some((part.to_owned(), message));
            }
        }
        for row in &mut self.closures {
            if row.date.trim().is_empty() && !row.reason.trim().is_empty() {
                row.error = Some(format!(
                    "the closure \"{}\" needs a date",
                    row.reason.trim()
                ));
            } else if !row.date.trim().is_empty()
                && row.date.trim().parse::<jiff::civil::Date>().is_err()
            {
                row.error = Some(format!("{:?} is not a date", row.date));
            }
        }
        let mut dates: Vec<String> = Vec::new();
        for row in &mut self.specials {
            if row.is_blank() {
                continue;
            }
            let typed_times: Vec<&String> = row
                .hours
                .iter()
                .flat_map(|(s, e)| [s, e])
                .filter(|t| !t.is_empty())
                .collect();
            row.error = if row.date.trim().is_empty() {
                Some("special hours need a date".to_owned())
            } else if row.date.trim().parse::<jiff::civil::Date>().is_err() {
                Some(format!("{:?} is not a date", row.date))
            } else if dates.contains(&row.date) {
                Some("another row already sets this date".to_owned())
            } else if let Some(bad) = typed_times.iter().find(|t| normalize_time(t).is_none()) {
                Some(not_a_time(bad))
            } else if !row.closed && row.hours.iter().any(|(s, e)| s.is_empty() != e.is_empty()) {
                Some("each opening needs both times".to_owned())
            } else if !row.closed && typed_times.is_empty() {
                Some("type the hours, or tick “Closed all day”".to_owned())
            } else {
                None
            };
            dates.push(row.date.clone());
        }
        self.has_errors()
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

/// A time as people type it, as `HH:MM`: `8`, `8:00`, `8.30`, `0800`,
/// `8am`, `5 pm`, `12:30am`, `17:00` and `24:00`; `None` when it is not one.
pub(super) fn normalize_time(text: &str) -> Option<String> {
    if !text.is_ascii() {
        return None;
    }
    let compact: String = text
        .trim()
        .to_ascii_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let (digits, meridiem) = if let Some(rest) = compact
        .strip_suffix("am")
        .or_else(|| compact.strip_suffix('a'))
    {
        (rest, Some(false))
    } else if let Some(rest) = compact
        .strip_suffix("pm")
        .or_else(|| compact.strip_suffix('p'))
    {
        (rest, Some(true))
    } else {
        (compact.as_str(), None)
    };
    let (hour, minute) = match digits.split_once([':', '.', 'h']) {
        Some((hour, minute)) => (hour, if minute.is_empty() { "0" } else { minute }),
        None if digits.len() >= 3 => digits.split_at(digits.len() - 2),
        None => (digits, "0"),
    };
    if hour.is_empty()
        || hour.len() > 2
        || minute.len() > 2
        || !hour
            .bytes()
            .chain(minute.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let mut hour: u32 = hour.parse().ok()?;
    let minute: u32 = minute.parse().ok()?;
    if minute > 59 {
        return None;
    }
    if let Some(pm) = meridiem {
        if !(1..=12).contains(&hour) {
            return None;
        }
        hour = match (hour, pm) {
            (12, false) => 0,
            (12, true) => 12,
            (h, true) => h + 12,
            (h, false) => h,
        };
    }
    if hour > 24 || (hour == 24 && minute != 0) {
        return None;
    }
    Some(format!("{hour:02}:{minute:02}"))
}

/// The time as typed, normalised when it reads as one.
pub(super) fn forgiving(text: &str) -> String {
    normalize_time(text).unwrap_or_else(|| text.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::normalize_time;

    #[test]
    fn times_are_read_as_people_type_them() {
        for (typed, read) in [
            ("8", "08:00"),
            ("8:00", "08:00"),
            ("08:00", "08:00"),
            ("0800", "08:00"),
            ("800", "08:00"),
            ("8.30", "08:30"),
            ("8am", "08:00"),
            ("8 AM", "08:00"),
            ("5 pm", "17:00"),
            ("5:45pm", "17:45"),
            ("12am", "00:00"),
            ("12pm", "12:00"),
            ("12:30 am", "00:30"),
            ("17:00", "17:00"),
            ("17", "17:00"),
            ("24:00", "24:00"),
            ("0:00", "00:00"),
        ] {
            assert_eq!(normalize_time(typed).as_deref(), Some(read), "{typed}");
        }
        for refused in [
            "",
            "25:00",
            "24:30",
            "13pm",
            "0am",
            "8:75",
            "noon",
            "8:0:0",
            "123456",
            "9–5",
            "€",
            "9am–5pm",
        ] {
            assert_eq!(normalize_time(refused), None, "{refused}");
        }
    }
}
