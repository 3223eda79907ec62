//! The business hours page: shifts per weekday (split and overnight
//! shifts), closures, the client's time zone, and a "test a time" box.
//! Saving goes through the same service function as
//! `PUT /api/clients/{id}/business-hours`. The form is in [`form`], what
//! people see in [`view`].

mod calendar_view;
mod checks;
mod form;
mod times;
mod view;

use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use hotline_domain::admin::AdminError;
use hotline_domain::schedule::Why;
use hotline_domain::{Timestamp, WeeklySchedule};
use serde::Deserialize;

use super::form::FormFields;
use super::layout::{self, Section};
use super::session::{self, PageError, Viewer};
use crate::extract::{ApiPath as Path, ApiQuery as Query};
use crate::state::AppState;
use form::HoursForm;
use view::render;

/// `?saved=1` after saving; `?date=&time=` (or `?at=`, or `?now=1`) to
/// test a time.
#[derive(Debug, Default, Deserialize)]
pub struct HoursQuery {
    saved: Option<String>,
    at: Option<String>,
    date: Option<String>,
    time: Option<String>,
    now: Option<String>,
}

impl HoursQuery {
    /// The local date and time to test, as `YYYY-MM-DD HH:MM`, if any.
    fn test_input(&self, zone: &jiff::tz::TimeZone) -> Option<String> {
        if self.now.is_some() {
            return Some(
                zone.to_datetime(Timestamp::now())
                    .strftime("%Y-%m-%d %H:%M")
                    .to_string(),
            );
        }
        if let Some(date) = self.date.as_deref().filter(|d| !d.trim().is_empty()) {
            let time = self.time.as_deref().unwrap_or_default();
            let time = times::forgiving(time);
            return Some(format!("{} {time}", date.trim()));
        }
        self.at.clone()
    }
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
    let input = query.test_input(client.timezone.zone());
    let test = input
        .as_deref()
        .map(|at| test_a_time(schedule.as_ref(), at));
    let body = render(
        &viewer,
        &client,
        &form,
        schedule.as_ref(),
        query.saved.is_some(),
        input.as_deref(),
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
    if form.check_rows() {
        // Every problem at once, before anything is saved.
        let schedule = state.admin.schedule(&viewer.caller.0, client.id).await?;
        let body = render(
            &viewer,
            &client,
            &form,
            schedule.as_ref(),
            false,
            None,
            None,
        );
        let frame = super::frame(&viewer, &clients, &client, Section::Hours);
        return Ok(layout::client_page(&frame, "Business hours", body).into_response());
    }
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
            let schedule = state.admin.schedule(&viewer.caller.0, client.id).await?;
            let body = render(
                &viewer,
                &client,
                &form,
                schedule.as_ref(),
                false,
                None,
                None,
            );
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
    Open {
        at: String,
        closes: Option<String>,
        why: String,
    },
    Closed {
        at: String,
        opens: Option<String>,
        why: String,
    },
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
    let clock = |t: Timestamp| zone.to_datetime(t).strftime("%H:%M").to_string();
    let why = match schedule.why(at) {
        Why::Open {
            start,
            end,
            special: None,
        } => format!("Inside the shift {} to {}.", clock(start), clock(end)),
        Why::Open {
            start,
            end,
            special: Some(reason),
        } => format!(
            "Special hours{}: {} to {}.",
            reason.map(|r| format!(" ({r})")).unwrap_or_default(),
            clock(start),
            clock(end)
        ),
        Why::OutsideSpecialHours(reason) => format!(
            "Outside this day's special hours{}.",
            reason.map(|r| format!(" ({r})")).unwrap_or_default()
        ),
        Why::ClosedDate(Some(reason)) => format!("Closed all day: {reason}."),
        Why::ClosedDate(None) => "Closed all day (a closure or holiday).".to_owned(),
        Why::BetweenShifts { ended, resumes } => format!(
            "Between shifts: closed from {} until {}.",
            clock(ended),
            clock(resumes)
        ),
        Why::OutsideShifts => "Outside this day's shifts.".to_owned(),
        Why::NoShiftThatDay => "No shift on this day of the week.".to_owned(),
    };
    if status.open {
        TestAnswer::Open {
            at: show(at),
            closes: status.next_close.map(show),
            why,
        }
    } else {
        TestAnswer::Closed {
            at: show(at),
            opens: status.next_open.map(show),
            why,
        }
    }
}
