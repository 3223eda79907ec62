//! The business hours page: shifts per weekday (split and overnight
//! shifts), closures, the client's time zone, and a "test a time" box.
//! Saving validates exactly as `PUT /api/clients/{id}/business-hours`.

use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use hotline_domain::admin::{AdminError, Invalid};
use hotline_domain::routing::model::Client;
use hotline_domain::schedule::{ClosureEntry, HoursEntry, WallTime};
use hotline_domain::{ScheduleDocument, Timestamp, WeeklySchedule};
use maud::{Markup, html};
use serde::Deserialize;

use super::form::FormFields;
use super::layout::{self, Section};
use super::session::{self, PageError, Viewer};
use crate::extract::{ApiPath as Path, ApiQuery as Query};
use crate::state::AppState;

/// Weekdays in the order the page lists them, Monday first, as
/// `day_of_week` numbers (0 = Sunday).
const WEEK: [u8; 7] = [1, 2, 3, 4, 5, 6, 0];
/// The most rows a submitted form may have.
const MAX_ROWS: usize = 200;

fn day_name(day: u8) -> &'static str {
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
struct ShiftRow {
    /// The weekday shown (0 = Sunday).
    day: u8,
    /// The weekday as posted; one outside 0..6 is refused by validation
    /// (never read as another day).
    day_of_week: i64,
    start: String,
    end: String,
    active: bool,
    /// The field at fault (`start_time`, `end_time` or the row) and why.
    error: Option<(String, String)>,
}

impl ShiftRow {
    fn is_blank(&self) -> bool {
        self.start.is_empty() && self.end.is_empty()
    }

    /// "Fri 20:00 to Sat 08:00" for an overnight shift, "Mon 09:00 to 17:00"
    /// otherwise; `None` while a time is not valid.
    fn span(&self) -> Option<String> {
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
struct ClosureRow {
    date: String,
    reason: String,
    error: Option<String>,
}

/// The whole form, as stored or as submitted.
#[derive(Debug, Clone, Default)]
struct HoursForm {
    timezone: String,
    timezone_error: Option<String>,
    shifts: Vec<ShiftRow>,
    closures: Vec<ClosureRow>,
    /// A problem that belongs to no single field.
    general_error: Option<String>,
}

impl HoursForm {
    fn from_document(document: &ScheduleDocument) -> Self {
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

    fn from_fields(fields: &FormFields) -> Self {
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
    fn to_document(&self) -> (ScheduleDocument, Vec<usize>, Vec<usize>) {
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
        };
        (document, shift_rows, closure_rows)
    }

    /// Puts a validation error next to the field it names.
    fn attach(&mut self, error: &Invalid, shift_rows: &[usize], closure_rows: &[usize]) {
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

    fn has_errors(&self) -> bool {
        self.timezone_error.is_some()
            || self.general_error.is_some()
            || self.shifts.iter().any(|s| s.error.is_some())
            || self.closures.iter().any(|c| c.error.is_some())
    }
}

/// `?saved=1` after saving, `?at=` to test a time.
#[derive(Debug, Default, Deserialize)]
pub struct HoursQuery {
    saved: Option<String>,
    at: Option<String>,
}

/// `GET /clients/{id}/hours`.
pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(query): Query<HoursQuery>,
) -> Result<Response, PageError> {
    let (client, clients) = super::client_and_list(&state, &viewer, &id).await?;
    let schedule = state.admin.schedule(&viewer.caller.0, client.id).await?;
    let form = match &schedule {
        Some(schedule) => HoursForm::from_document(&schedule.to_document()),
        None => HoursForm {
            timezone: client.timezone.to_string(),
            ..HoursForm::default()
        },
    };
    let test = query
        .at
        .as_deref()
        .map(|at| test_a_time(schedule.as_ref(), at));
    let body = render(
        &viewer,
        &client,
        &form,
        query.saved.is_some(),
        query.at.as_deref(),
        test,
    );
    let frame = super::frame(&viewer, &clients, &client, Section::Hours);
    Ok(layout::client_page(&frame, "Business hours", body).into_response())
}

/// `POST /clients/{id}/hours`: validates and saves, or shows the form
/// again with each problem next to its field.
pub async fn save(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let fields = FormFields::parse(&body);
    viewer.check_csrf(fields.get("csrf"))?;
    let (client, clients) = super::client_and_list(&state, &viewer, &id).await?;
    let mut form = HoursForm::from_fields(&fields);
    let (document, shift_rows, closure_rows) = form.to_document();
    match state
        .admin
        .replace_schedule(&viewer.caller.0, client.id, &document, Timestamp::now())
        .await
    {
        Ok(_) => Ok(session::redirect(&format!(
            "/clients/{}/hours?saved=1",
            client.id
        ))),
        Err(AdminError::Invalid(invalid)) => {
            form.attach(&invalid, &shift_rows, &closure_rows);
            let body = render(&viewer, &client, &form, false, None, None);
            let frame = super::frame(&viewer, &clients, &client, Section::Hours);
            // 200, not 422: the page is the answer, and browsers log a
            // failed status as a console error.
            Ok(layout::client_page(&frame, "Business hours", body).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// The answer of the "test a time" box.
enum TestAnswer {
    Open { at: String, closes: Option<String> },
    Closed { at: String, opens: Option<String> },
    NoHours,
    BadInput(String),
}

/// Reads a local date and time in the client's zone and asks the saved
/// schedule about it.
fn test_a_time(schedule: Option<&WeeklySchedule>, input: &str) -> TestAnswer {
    let Some(schedule) = schedule else {
        return TestAnswer::NoHours;
    };
    let zone = schedule.timezone().zone();
    let normalized = input.trim().replacen(' ', "T", 1);
    let Ok(local) = normalized.parse::<jiff::civil::DateTime>() else {
        return TestAnswer::BadInput(format!(
            "{input:?} is not a date and time: enter it like 2026-11-30 14:00"
        ));
    };
    let Ok(at) = zone.to_ambiguous_timestamp(local).compatible() else {
        return TestAnswer::BadInput(format!("{input:?} is out of range"));
    };
    let status = schedule.status(at);
    let show = |t: Timestamp| {
        zone.to_datetime(t)
            .strftime("%a %d %b %Y %H:%M")
            .to_string()
    };
    if status.open {
        TestAnswer::Open {
            at: show(at),
            closes: status.next_close.map(show),
        }
    } else {
        TestAnswer::Closed {
            at: show(at),
            opens: status.next_open.map(show),
        }
    }
}

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

fn render(
    viewer: &Viewer,
    client: &Client,
    form: &HoursForm,
    saved: bool,
    at: Option<&str>,
    test: Option<TestAnswer>,
) -> Markup {
    let mut n = 0usize;
    let mut closure_n = 0usize;
    let action = format!("/clients/{}/hours", client.id);
    let form_zone =
        jiff::tz::TimeZone::get(&form.timezone).unwrap_or_else(|_| client.timezone.zone().clone());
    let default_at = form_zone
        .to_datetime(Timestamp::now())
        .strftime("%Y-%m-%d %H:%M")
        .to_string();
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
        @if saved {
            p.notice role="status" { "Saved." }
        }
        @if form.has_errors() {
            div.alert role="alert" {
                p { strong { "Nothing was saved. Please fix:" } }
                ul {
                    @if let Some(message) = &form.timezone_error {
                        li { a href="#timezone" { "Time zone" } ": " (message) }
                    }
                    @for (i, shift) in form.shifts.iter().enumerate() {
                        @if let Some((part, message)) = &shift.error {
                            li { (day_name(shift.day)) ", " (part_label(part)) ": " (message) " (" (i) ")" }
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
            h2 { "Closures" }
            p.hint { "Days the business is closed, such as holidays. A shift that starts the evening before still runs into the closed day." }
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
            p { button.primary type="submit" { "Save business hours" } }
        }
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
