//! The business hours page: shifts per weekday (split and overnight
//! shifts), closures, the client's time zone, and a "test a time" box.
//! Saving goes through the same service function as
//! `PUT /api/clients/{id}/business-hours`. The form is in [`form`], what
//! people see in [`view`].

mod form;
mod view;

use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use hotline_domain::admin::AdminError;
use hotline_domain::{Timestamp, WeeklySchedule};
use serde::Deserialize;

use super::form::FormFields;
use super::layout::{self, Section};
use super::session::{self, PageError, Viewer};
use crate::extract::{ApiPath as Path, ApiQuery as Query};
use crate::state::AppState;
use form::HoursForm;
use view::render;

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
    let (mut document, shift_rows, closure_rows) = form.to_document();
    // This page does not edit holidays or special hours yet: keep them.
    if let Some(current) = state.admin.schedule(&viewer.caller.0, client.id).await? {
        let current = current.to_document();
        document.holidays = current.holidays;
        document.special_hours = current.special_hours;
    }
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
