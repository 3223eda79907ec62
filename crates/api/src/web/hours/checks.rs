//! The hours form checked row by row before saving, so one save shows
//! every problem at once.

use super::form::HoursForm;
use super::times::normalize_time;

impl HoursForm {
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
}
