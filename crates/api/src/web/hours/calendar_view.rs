//! The hours page's calendar sections: holidays (kept ones, ready-made
//! sets, a row to add one) and special hours per date.

use hotline_domain::schedule::{HOLIDAY_SETS, HolidayEntry};
use hotline_domain::{Timestamp, WeeklySchedule};
use maud::{Markup, html};

use super::form::{HoursForm, SpecialRow, WEEK, day_name};

/// A stored holiday in words, with the next date it closes.
fn holiday_words(
    entry: &HolidayEntry,
    today: jiff::civil::Date,
) -> (String, String, Option<String>) {
    let name = entry
        .name
        .as_ref()
        .and_then(|n| n.as_str())
        .unwrap_or("Holiday")
        .to_owned();
    let schedule = serde_json::json!({"timezone": "UTC", "holidays": [entry]});
    let parsed = serde_json::from_value::<hotline_domain::ScheduleDocument>(schedule)
        .ok()
        .and_then(|d| WeeklySchedule::from_document(&d).ok());
    let Some(holiday) = parsed.as_ref().and_then(|s| s.holidays().first().cloned()) else {
        return (name, "(not a valid rule)".to_owned(), None);
    };
    let next = holiday
        .rule
        .next_on_or_after(today)
        .map(|d| d.strftime("%a %d %b %Y").to_string());
    (name, holiday.rule.describe(), next)
}

/// The holidays: each kept one with a remove box, the ready-made sets,
/// and a row to add one.
pub(super) fn holiday_rows(form: &HoursForm) -> Markup {
    let new = &form.new_holiday;
    let today = jiff::tz::TimeZone::get(&form.timezone)
        .unwrap_or(jiff::tz::TimeZone::UTC)
        .to_datetime(Timestamp::now())
        .date();
    html! {
    @if form.holidays.is_empty() {
        p.hint { "No holidays yet." }
    } @else {
        ul.holidays {
            @for (i, row) in form.holidays.iter().enumerate() {
                @let (name, rule, next) = holiday_words(&row.entry, today);
                li {
                    input type="hidden" name={ "holiday" (i) "_rule" } value=(serde_json::to_string(&row.entry).unwrap_or_default());
                    span.name { (name) }
                    span.rule { (rule) }
                    @if let Some(next) = next { span.next { "next " (next) } }
                    label.check {
                        input type="checkbox" name={ "holiday" (i) "_remove" } checked[row.remove] aria-label={ "Remove " (name) };
                        " Remove"
                    }
                }
            }
        }
    }
    p.sets {
        @for set in HOLIDAY_SETS {
            button type="submit" name="holiday_set" value=(set.key) { "Add " (set.label) }
        }
    }
    @if let Some(message) = &form.holiday_error {
        p.field-error { (message) }
    }
    fieldset.new-holiday {
        legend { "Add a holiday" }
        div.inline {
            div { label for="new_holiday_name" { "Name" } input #new_holiday_name type="text" name="new_holiday_name" value=(new.name) placeholder="Founders' Day" maxlength="200"; }
            div {
                label for="new_holiday_rule" { "Falls on" }
                select #new_holiday_rule name="new_holiday_rule" {
                    @for (value, label) in [("", "(choose)"), ("date", "a date every year"), ("nth_weekday", "the nth weekday of a month"), ("weekday_on_or_before", "a weekday on or before a date"), ("easter", "days from Easter Sunday")] {
                        option value=(value) selected[new.rule == value] { (label) }
                    }
                }
            }
            div { label for="new_holiday_month" { "Month (1–12)" } input #new_holiday_month.num type="text" inputmode="numeric" name="new_holiday_month" value=(new.month); }
            div { label for="new_holiday_day" { "Day" } input #new_holiday_day.num type="text" inputmode="numeric" name="new_holiday_day" value=(new.day); }
            div {
                label for="new_holiday_weekday" { "Weekday" }
                select #new_holiday_weekday name="new_holiday_weekday" {
                    option value="" { "" }
                    @for day in WEEK { option value=(day) selected[new.weekday == day.to_string()] { (day_name(day)) } }
                }
            }
            div {
                label for="new_holiday_nth" { "Which" }
                select #new_holiday_nth name="new_holiday_nth" {
                    @for (value, label) in [("", ""), ("1", "1st"), ("2", "2nd"), ("3", "3rd"), ("4", "4th"), ("5", "5th"), ("-1", "last")] {
                        option value=(value) selected[new.nth == value] { (label) }
                    }
                }
            }
            div {
                label for="new_holiday_observed" { "On a weekend" }
                select #new_holiday_observed name="new_holiday_observed" {
                    @for (value, label) in [("none", "just the date"), ("nearest_weekday", "also Friday before / Monday after"), ("next_monday", "also the Monday after")] {
                        option value=(value) selected[new.observed == value] { (label) }
                    }
                }
            }
            div { label for="new_holiday_offset_days" { "Days from Easter" } input #new_holiday_offset_days.num type="text" inputmode="numeric" name="new_holiday_offset_days" value=(new.offset_days) placeholder="-2"; }
        }
    }
    }
}

/// The special-hours dates, and two blank rows to add more.
pub(super) fn special_rows(form: &HoursForm) -> Markup {
    let blank = SpecialRow {
        hours: vec![(String::new(), String::new()); 2],
        ..SpecialRow::default()
    };
    let rows: Vec<&SpecialRow> = form
        .specials
        .iter()
        .filter(|s| !s.is_blank() || s.error.is_some())
        .chain([&blank, &blank])
        .collect();
    html! {
    @for (i, row) in rows.into_iter().enumerate() {
        fieldset.special {
            legend.visually-hidden { "Special hours " (i + 1) }
            div { label for={ "special" (i) "_date" } { "Date" }
                input type="date" id={ "special" (i) "_date" } name={ "special" (i) "_date" } value=(row.date) aria-invalid=[row.error.is_some().then_some("true")]; }
            @for k in 1..=row.hours.len().max(2) {
                @let (start, end) = row.hours.get(k - 1).cloned().unwrap_or_default();
                div.pair {
                    label for={ "special" (i) "_start" (k) } { "Opens" }
                    input.time type="text" id={ "special" (i) "_start" (k) } name={ "special" (i) "_start" (k) } value=(start) placeholder="9am" autocomplete="off";
                    label for={ "special" (i) "_end" (k) } { "Closes" }
                    input.time type="text" id={ "special" (i) "_end" (k) } name={ "special" (i) "_end" (k) } value=(end) placeholder="1pm" autocomplete="off";
                }
            }
            label.check { input type="checkbox" name={ "special" (i) "_closed" } checked[row.closed && !row.date.is_empty()] aria-label={ "Closed all day, special hours " (i + 1) }; " Closed all day" }
            div { label for={ "special" (i) "_reason" } { "Reason" }
                input type="text" id={ "special" (i) "_reason" } name={ "special" (i) "_reason" } value=(row.reason) placeholder="Christmas Eve" maxlength="200"; }
            @if let Some(message) = &row.error { p.field-error { (message) } }
        }
    }
    }
}
