//! The settings page: the business (name, number, time zone), the reply
//! to a lead who texts while it is closed with the sentence a lead would
//! read now, how the team is rung (strategy, tier delay, the ring plan
//! and its warnings), following a lead through (texts to the lead,
//! reminders, the manager), call recording, and the client's outbound
//! webhooks. One form saves every setting at once, through the same
//! validation as the admin API; a refused save is shown again with every
//! value kept and the first problem focused.

mod form;
pub mod webhooks;

use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use hotline_domain::admin::{AdminError, DEFAULT_OUT_OF_HOURS_REPLY};
use hotline_domain::routing::model::Client;
use hotline_domain::routing::words::fill_out_of_hours_reply;
use hotline_domain::{PhoneNumber, Timestamp, WeeklySchedule};
use maud::{Markup, html};
use serde::Deserialize;

use super::form::FormFields;
use super::layout::{self, Section};
use super::session::{self, PageError, Viewer};
use crate::admin::client_id;
use crate::extract::{ApiPath as Path, ApiQuery as Query};
use crate::state::AppState;
use form::{SettingsForm, refusal};

/// `?saved=1` after a save.
#[derive(Debug, Default, Deserialize)]
pub struct SettingsQuery {
    saved: Option<String>,
}

/// What the page shows besides the settings: a notice, a refused form, a
/// webhook secret to copy once.
#[derive(Debug, Default)]
pub(crate) struct Extras {
    /// A line at the top ("Settings saved.").
    pub notice: Option<String>,
    /// The form as submitted and why it was refused.
    pub refused: Option<(SettingsForm, form::Refusal)>,
    /// A webhook just created: its URL and secret.
    pub new_secret: Option<(String, String)>,
    /// The webhook form as submitted and why it was refused.
    pub webhook_refused: Option<webhooks::RefusedWebhook>,
}

/// `GET /clients/{id}/settings`.
pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(query): Query<SettingsQuery>,
) -> Result<Response, PageError> {
    let extras = Extras {
        notice: query.saved.map(|_| "Settings saved.".to_owned()),
        ..Extras::default()
    };
    render(&state, &viewer, &id, extras).await
}

/// `POST /clients/{id}/settings`: saves every setting of the form.
pub async fn save(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let fields = FormFields::parse(&body);
    viewer.check_csrf(fields.get("csrf"))?;
    let client_id = client_id(&id)?;
    let client = state.admin.client(&viewer.caller.0, client_id).await?;
    let submitted = SettingsForm::from_fields(&fields);
    let outcome = match submitted.changes(&client.twilio_number) {
        Ok(changes) => state
            .admin
            .update_client(&viewer.caller.0, client_id, changes, Timestamp::now())
            .await
            .map(|_| ())
            .map_err(|e| match e {
                AdminError::Invalid(invalid) => Err(refusal(&invalid.field, &invalid.message)),
                AdminError::TwilioNumberTaken => Err(refusal(
                    "twilio_number",
                    &AdminError::TwilioNumberTaken.to_string(),
                )),
                other => Ok(other),
            }),
        Err(refused) => Err(Err(refused)),
    };
    match outcome {
        Ok(()) => Ok(session::redirect(&format!(
            "/clients/{client_id}/settings?saved=1"
        ))),
        Err(Ok(error)) => Err(error.into()),
        Err(Err(refused)) => {
            let extras = Extras {
                refused: Some((submitted, refused)),
                ..Extras::default()
            };
            render(&state, &viewer, &id, extras).await
        }
    }
}

/// The page, with `extras`.
pub(crate) async fn render(
    state: &AppState,
    viewer: &Viewer,
    id: &str,
    extras: Extras,
) -> Result<Response, PageError> {
    let (client, clients) = super::client_and_list(state, viewer, id).await?;
    let principal = &viewer.caller.0;
    let schedule = state.admin.schedule(principal, client.id).await?;
    let plan = state
        .routing
        .ring_plan_as(principal, client.id)
        .await
        .map_err(crate::error::ApiError::from)?;
    let endpoints = webhooks::with_deliveries(state, principal, client.id).await?;
    let shown = extras
        .refused
        .as_ref()
        .map_or_else(|| SettingsForm::of(&client), |(form, _)| form.clone());
    let refusal = extras.refused.as_ref().map(|(_, r)| r);
    let body = html! {
        @if let Some(notice) = &extras.notice {
            p.notice role="status" { (notice) }
        }
        @if let Some(refusal) = refusal {
            div.alert role="alert" #problems {
                p { "Nothing was saved. Please fix this:" }
                ul { li { a href={ "#" (refusal.input) } { (refusal.label) ": " (refusal.message) } } }
            }
        }
        (form::settings_form(viewer, &client, &shown, refusal, &reply_preview(&client, &shown, schedule.as_ref())))
        (plan_section(&plan, &client.twilio_number))
        (webhooks::section(viewer, &client, &endpoints, &extras))
    };
    let frame = super::frame(viewer, &clients, &client, Section::Settings);
    Ok(layout::client_page(&frame, "Settings", body).into_response())
}

/// The sentence a lead texting while closed reads, and when that is.
pub(crate) struct ReplyPreview {
    /// When the example lead texts ("now", "at 17:00 today, after closing").
    pub when: String,
    /// The sentence, `{next_open}` filled in.
    pub sentence: String,
    /// Open now and never closing in the next two years: nobody gets it.
    pub never_closed: bool,
}

/// The reply a lead would read if they texted now, or right after the
/// next closing when the business is open now.
fn reply_preview(
    client: &Client,
    form: &SettingsForm,
    schedule: Option<&WeeklySchedule>,
) -> ReplyPreview {
    let now = Timestamp::now();
    let zone = client.timezone.zone();
    let open_now = schedule.is_some_and(|s| s.is_open(now));
    let next_close = schedule
        .filter(|_| open_now)
        .and_then(|s| s.next_close(now));
    let (at, when) = match next_close {
        Some(close) => (
            close,
            format!(
                "after closing, at {}",
                zone.to_datetime(close).strftime("%a %H:%M")
            ),
        ),
        None => (now, "now".to_owned()),
    };
    let next_open = schedule.and_then(|s| s.next_open(at));
    let template = if form.reply.trim().is_empty() {
        DEFAULT_OUT_OF_HOURS_REPLY
    } else {
        form.reply.as_str()
    };
    ReplyPreview {
        when,
        sentence: fill_out_of_hours_reply(template, next_open, at, zone),
        never_closed: open_now && next_close.is_none(),
    }
}

/// What a hot lead would ring now, with the plan's warnings.
fn plan_section(plan: &hotline_domain::routing::RingPlan, home: &PhoneNumber) -> Markup {
    html! {
        section.card aria-labelledby="plan-title" #ring-plan {
            h2 #plan-title { "Who rings now" }
            p.hint { "What a hot lead texting now would ring, with the saved settings." }
            @for warning in &plan.warnings {
                p.warning role="note" { "Check: " (warning) }
            }
            @if plan.legs.is_empty() {
                p { "Nobody would ring: the lead would be escalated by text." }
            } @else {
                ol.plan {
                    @for leg in &plan.legs {
                        li {
                            strong { (leg.name) } " "
                            span.phone { (super::leads::national(&leg.phone, home)) }
                            span.hint {
                                @if leg.starts_after_seconds < 0.05 { " rings at once" }
                                @else { " rings after " (format!("{:.0}", leg.starts_after_seconds)) " s" }
                                @if plan.strategy == "tiered" { ", tier " (leg.tier) }
                            }
                        }
                    }
                }
            }
        }
    }
}
