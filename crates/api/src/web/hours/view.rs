//! The hours page as people see it: what is wrong, the week at a glance,
//! the form, and the "test a time" box.

use hotline_domain::Timestamp;
use hotline_domain::routing::model::Client;
use maud::{Markup, html};

use super::super::session::Viewer;
use super::TestAnswer;
use super::form::{ClosureRow, HoursForm, ShiftRow, WEEK, day_name};

/// IANA zone names, from the time zone database, for the selector; the
/// database is listed once per process.
fn zone_names(current: &str) -> Vec<String> {
    static KNOWN: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let mut names = KNOWN.get_or_init(known_zone_names).clone();
    if !current.is_empty() && !names.iter().any(|n| n == current) {
        names.push(current.to_owned());
        names.sort();
    }
    names
}

fn known_zone_names() -> Vec<String> {
    let mut names: Vec<String> = jiff::tz::db()
        .available()
        .map(|name| name.to_string())
        .filter(|name| {
            name == "UTC"
                || (name.contains('/')
                    && !name.starts_with("posix/")
                    && !name.starts_with("right/")
                    && !name.starts_with("Etc/")
                    && !name.starts_with("SystemV/")
                    && name.chars().next().is_some_and(char::is_uppercase))
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

fn time_input(n: usize, part: &str, label: &str, value: &str, invalid: bool, day: u8) -> Markup {
    let id = format!("shift{n}_{part}");
    html! {
        label.visually-hidden for=(id) { (day_name(day)) " " (label) }
        input.time type="text" id=(id) name=(id) value=(value) inputmode="numeric"
            placeholder="HH:MM"
            maxlength="5" autocomplete="off" aria-invalid=[invalid.then_some("true")]
            aria-describedby=[invalid.then(|| format!("shift{n}_error"))];
    }
}

/// The whole page body.
pub(super) fn render(
    viewer: &Viewer,
    client: &Client,
    form: &HoursForm,
    saved: bool,
    at: Option<&str>,
    test: Option<TestAnswer>,
) -> Markup {
    let action = format!("/clients/{}/hours", client.id);
    html! {
        @if saved {
            p.notice role="status" { "Saved." }
        }
        (error_summary(form))
        (open_hours(form))
        form.card method="post" action=(action) novalidate {
            input type="hidden" name="csrf" value=(viewer.csrf_token);
            div.inline {
                div {
                    label for="timezone" { "Time zone" }
                    select #timezone name="timezone" aria-invalid=[form.timezone_error.is_some().then_some("true")] {
                        @for name in zone_names(&form.timezone) {
                            option value=(name) selected[name == form.timezone] { (name) }
                        }
                    }
                    @if let Some(message) = &form.timezone_error {
                        p.field-error { (message) }
                    }
                }
            }
            h2 { "Weekly shifts" }
            p.hint { "Times are HH:MM in the client's time zone. An end at or before the start runs past midnight into the next day; 24:00 ends at midnight. Clear both times to remove a shift." }
            (weekly_shifts(form))
            h2 { "Closures" }
            p.hint { "Days the business is closed, such as holidays. A shift that starts the evening before still runs into the closed day." }
            (closure_rows(form))
            p { button.primary type="submit" { "Save business hours" } }
        }
        (test_a_time_box(client, form, at, test))
    }
}

/// Every problem of a refused save, above the form.
fn error_summary(form: &HoursForm) -> Markup {
    html! {
    @if form.has_errors() {
        div.alert role="alert" {
            p { strong { "Nothing was saved. Please fix:" } }
            ul {
                @if let Some(message) = &form.timezone_error {
                    li { a href="#timezone" { "Time zone" } ": " (message) }
                }
                @for shift in &form.shifts {
                    @if let Some((part, message)) = &shift.error {
                        li { (day_name(shift.day)) ", " (part_label(part)) ": " (message) }
                    }
                }
                @for closure in &form.closures {
                    @if let Some(message) = &closure.error {
                        li { "Closure " (closure.date) ": " (message) }
                    }
                }
                @if let Some(message) = &form.general_error {
                    li { (message) }
                }
            }
        }
    }
    }
}

/// The active shifts of the week, in words.
fn open_hours(form: &HoursForm) -> Markup {
    let active_spans: Vec<String> = WEEK
        .iter()
        .flat_map(|&day| {
            form.shifts
                .iter()
                .filter(move |s| s.day == day && s.active && s.error.is_none())
        })
        .filter_map(ShiftRow::span)
        .collect();
    html! {
    section.card aria-labelledby="week-summary" {
        h2 #week-summary { "Open hours" }
        @if active_spans.is_empty() {
            p.hint { "No open hours: every hot lead is escalated to the team by text." }
        } @else {
            ul #open-hours {
                @for span in &active_spans { li { (span) } }
            }
        }
    }
    }
}

/// One block per weekday, Monday first: its shifts and a blank one to add.
fn weekly_shifts(form: &HoursForm) -> Markup {
    let mut n = 0usize;
    html! {
    @for day in WEEK {
        @let rows: Vec<&ShiftRow> = form.shifts.iter().filter(|s| s.day == day && (!s.is_blank() || s.error.is_some())).collect();
        @let open = rows.iter().any(|s| s.active);
        div.day data-day=(day) {
            h3 { (day_name(day)) " " @if open { span.badge.open { "Open" } } @else { span.badge { "Closed" } } }
            div {
                @for row in rows.iter().copied().chain(std::iter::once(&ShiftRow { day, active: true, ..ShiftRow::default() })) {
                    @let i = { let i = n; n += 1; i };
                    @let is_new = row.is_blank() && row.error.is_none();
                    @let bad_start = row.error.as_ref().is_some_and(|(p, _)| p == "start_time");
                    @let bad_end = row.error.as_ref().is_some_and(|(p, _)| p == "end_time");
                    div.shift data-row=(i) {
                        input type="hidden" name={ "shift" (i) "_day" } value=(row.day);
                        @if is_new { span.hint { "Add a shift:" } }
                        (time_input(i, "start", "start time", &row.start, bad_start, day))
                        span { "to" }
                        (time_input(i, "end", "end time", &row.end, bad_end, day))
                        label.check {
                            input type="checkbox" name={ "shift" (i) "_active" } checked[row.active];
                            " Active"
                        }
                        @if let Some(span) = row.span() {
                            span.span { (span) }
                        }
                        @if let Some((part, message)) = &row.error {
                            p.field-error id={ "shift" (i) "_error" } data-field=(part) { (part_label(part)) ": " (message) }
                        }
                    }
                }
            }
        }
    }
    }
}

/// The closures, and two blank rows to add more.
fn closure_rows(form: &HoursForm) -> Markup {
    let mut closure_n = 0usize;
    html! {
    @for row in form.closures.iter().filter(|c| !c.date.is_empty() || c.error.is_some()).chain([ClosureRow::default(), ClosureRow::default()].iter()) {
        @let i = { let i = closure_n; closure_n += 1; i };
        div.closure {
            label for={ "closure" (i) "_date" } { "Date" }
            input type="date" id={ "closure" (i) "_date" } name={ "closure" (i) "_date" } value=(row.date)
                aria-invalid=[row.error.is_some().then_some("true")];
            label for={ "closure" (i) "_reason" } { "Reason" }
            input type="text" id={ "closure" (i) "_reason" } name={ "closure" (i) "_reason" } value=(row.reason) placeholder="Christmas Day" maxlength="200";
            @if let Some(message) = &row.error {
                p.field-error { (message) }
            }
        }
    }
    }
}

/// The "test a time" box and its answer.
fn test_a_time_box(
    client: &Client,
    form: &HoursForm,
    at: Option<&str>,
    test: Option<TestAnswer>,
) -> Markup {
    let form_zone =
        jiff::tz::TimeZone::get(&form.timezone).unwrap_or_else(|_| client.timezone.zone().clone());
    let default_at = form_zone
        .to_datetime(Timestamp::now())
        .strftime("%Y-%m-%d %H:%M")
        .to_string();
    html! {
    section.card aria-labelledby="test-time" {
        h2 #test-time { "Test a time" }
        form.inline method="get" action=(format!("/clients/{}/hours", client.id)) {
            div {
                label for="at" { "Date and time in " (form.timezone) }
                input #at type="text" name="at" value=(at.unwrap_or(&default_at)) placeholder="2026-11-30 14:00" autocomplete="off";
            }
            button type="submit" { "Test" }
        }
        @if let Some(answer) = test {
            div #test-answer role="status" {
                @match answer {
                    TestAnswer::Open { at, closes } => {
                        p { strong.open-answer { "Open" } " on " (at) "." }
                        @if let Some(closes) = closes { p { "Closes " (closes) "." } }
                    }
                    TestAnswer::Closed { at, opens } => {
                        p { strong.closed-answer { "Closed" } " on " (at) "." }
                        @match opens {
                            Some(opens) => p { "Next opening: " (opens) "." },
                            None => p { "It does not open again." },
                        }
                    }
                    TestAnswer::NoHours => p { "No business hours are saved yet." },
                    TestAnswer::BadInput(problem) => p.field-error { (problem) },
                }
            }
        }
    }
    }
}

fn part_label(part: &str) -> &str {
    match part {
        "start_time" => "start time",
        "end_time" => "end time",
        "day_of_week" => "day",
        _ => "shift",
    }
}
