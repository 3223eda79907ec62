//! The webhooks part of the settings page: the client's endpoints with
//! their recent deliveries, a form to add one (its secret shown once, on
//! the page that answers the form), and removal after a confirmation.

use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use hotline_domain::admin::{AdminError, Principal};
use hotline_domain::routing::model::Client;
use hotline_domain::webhooks::{
    DeliveryAttempt, EVENT_TYPES, EndpointId, NewEndpointInput, WebhookEndpoint,
};
use hotline_domain::{ClientId, Timestamp};
use maud::{Markup, html};

use super::{Extras, render};
use crate::admin::client_id;
use crate::error::ApiError;
use crate::extract::ApiPath as Path;
use crate::state::AppState;
use crate::web::form::FormFields;
use crate::web::session::{self, PageError, Viewer};

/// Deliveries shown per endpoint.
const DELIVERIES_SHOWN: u32 = 10;

/// An endpoint and its latest deliveries.
pub(crate) type EndpointWithDeliveries = (WebhookEndpoint, Vec<DeliveryAttempt>);

/// The webhook form as submitted, and why it was refused.
#[derive(Debug, Clone, Default)]
pub(crate) struct RefusedWebhook {
    url: String,
    description: String,
    events: Vec<String>,
    message: String,
}

/// The client's endpoints, each with its latest deliveries.
///
/// # Errors
///
/// As the webhook service's.
pub(crate) async fn with_deliveries(
    state: &AppState,
    principal: &Principal,
    client: ClientId,
) -> Result<Vec<EndpointWithDeliveries>, PageError> {
    let endpoints = state.webhooks.list(principal, client).await?;
    let mut shown = Vec::with_capacity(endpoints.len());
    for endpoint in endpoints {
        let attempts = state
            .webhooks
            .attempts(principal, client, endpoint.id, DELIVERIES_SHOWN)
            .await?;
        shown.push((endpoint, attempts));
    }
    Ok(shown)
}

/// `POST /clients/{id}/settings/webhooks`: adds an endpoint and shows its
/// secret once.
pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let fields = FormFields::parse(&body);
    viewer.check_csrf(fields.get("csrf"))?;
    let client = client_id(&id)?;
    let events: Vec<String> = EVENT_TYPES
        .iter()
        .filter(|e| fields.checked(&format!("event-{e}")))
        .map(|e| (*e).to_owned())
        .collect();
    let description = fields.text("description");
    let new = NewEndpointInput {
        url: fields.text("url"),
        events: Some(events.clone()),
        description: (!description.is_empty()).then(|| description.clone()),
    };
    let extras = match state
        .webhooks
        .create(&viewer.caller.0, client, new, Timestamp::now())
        .await
    {
        Ok(endpoint) => Extras {
            notice: Some("Webhook added.".to_owned()),
            new_secret: Some((endpoint.url, endpoint.secret)),
            ..Extras::default()
        },
        Err(AdminError::Invalid(invalid)) => Extras {
            webhook_refused: Some(RefusedWebhook {
                url: fields.text("url"),
                description,
                events,
                message: invalid.message,
            }),
            ..Extras::default()
        },
        Err(other) => return Err(other.into()),
    };
    render(&state, &viewer, &id, extras).await
}

/// `POST /clients/{id}/settings/webhooks/{webhook_id}/delete`: removes an
/// endpoint once the form's confirmation box is ticked.
pub async fn delete(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, webhook_id)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, PageError> {
    let fields = FormFields::parse(&body);
    viewer.check_csrf(fields.get("csrf"))?;
    let client = client_id(&id)?;
    let endpoint = uuid::Uuid::try_parse(&webhook_id)
        .map(EndpointId)
        .map_err(|_| PageError::Api(ApiError::NotFound(format!("webhook {webhook_id}"))))?;
    if !fields.checked("confirm") {
        let extras = Extras {
            notice: Some(
                "Not removed: tick \u{201c}Yes, remove it\u{201d} to remove a webhook.".to_owned(),
            ),
            ..Extras::default()
        };
        return render(&state, &viewer, &id, extras).await;
    }
    state
        .webhooks
        .delete(&viewer.caller.0, client, endpoint)
        .await?;
    Ok(session::redirect(&format!(
        "/clients/{client}/settings#webhooks"
    )))
}

fn delivery_row(attempt: &DeliveryAttempt, zone: &jiff::tz::TimeZone) -> Markup {
    let when = attempt.at.parse::<Timestamp>().map_or_else(
        |_| attempt.at.clone(),
        |t| zone.to_datetime(t).strftime("%b %d %H:%M:%S").to_string(),
    );
    let ok = attempt.status_code.is_some_and(|s| (200..300).contains(&s));
    html! {
        tr {
            td { (when) }
            td { (attempt.event_type) }
            td { (attempt.attempt) }
            td.ok[ok] {
                @match (attempt.status_code, &attempt.error) {
                    (Some(code), _) if ok => { "Delivered (" (code) ")" },
                    (Some(code), Some(error)) => { (code) ": " (error) },
                    (Some(code), None) => { "Refused (" (code) ")" },
                    (None, Some(error)) => { (error) },
                    (None, None) => { "No answer" },
                }
            }
        }
    }
}

/// The webhooks section of the page.
pub(crate) fn section(
    viewer: &Viewer,
    client: &Client,
    endpoints: &[EndpointWithDeliveries],
    extras: &Extras,
) -> Markup {
    let base = format!("/clients/{}/settings/webhooks", client.id);
    let zone = client.timezone.zone();
    let refused = extras.webhook_refused.as_ref();
    html! {
        section.card aria-labelledby="webhooks-title" #webhooks {
            h2 #webhooks-title { "Webhooks" }
            p.hint { "Other systems (a CRM, a chat, a spreadsheet) are told what happens to each lead, signed as the Standard Webhooks specification says." }
            @if let Some((url, secret)) = &extras.new_secret {
                div.secret role="status" #new-secret {
                    p { "Added " strong { (url) } ". Its signing secret, shown only now: copy it into the receiving system." }
                    input.wide type="text" readonly value=(secret) aria-label="Signing secret" #secret;
                }
            }
            @if endpoints.is_empty() {
                p { "No webhooks yet." }
            }
            @for (endpoint, deliveries) in endpoints {
                article.endpoint data-webhook=(endpoint.id) {
                    h3 { (endpoint.url) }
                    p.hint {
                        @if endpoint.events.is_empty() { "Every event" } @else { (endpoint.events.join(", ")) }
                        @if let Some(d) = &endpoint.description { " · " (d) }
                    }
                    details {
                        summary { "Recent deliveries (" (deliveries.len()) ")" }
                        @if deliveries.is_empty() {
                            p.hint { "Nothing delivered yet." }
                        } @else {
                            div.table-wrap {
                                table.deliveries {
                                    thead { tr { th { "When" } th { "Event" } th { "Attempt" } th { "Result" } } }
                                    tbody { @for attempt in deliveries { (delivery_row(attempt, zone)) } }
                                }
                            }
                        }
                    }
                    details.remove {
                        summary { "Remove…" }
                        form method="post" action={ (base) "/" (endpoint.id) "/delete" } {
                            input type="hidden" name="csrf" value=(viewer.csrf_token);
                            div.check {
                                input type="checkbox" name="confirm" id={ "confirm-" (endpoint.id) } required;
                                label for={ "confirm-" (endpoint.id) } { "Yes, remove it: " (endpoint.url) " gets no more events" }
                            }
                            button.danger type="submit" { "Remove webhook" }
                        }
                    }
                }
            }
            form method="post" action=(base) #add-webhook aria-labelledby="add-webhook-title" {
                h3 #add-webhook-title { "Add a webhook" }
                input type="hidden" name="csrf" value=(viewer.csrf_token);
                div.field {
                    label for="webhook-url" { "URL" }
                    input.wide type="url" id="webhook-url" name="url" required placeholder="https://example.com/hotline"
                        value=[refused.map(|r| r.url.as_str())]
                        aria-invalid=[refused.map(|_| "true")] autofocus[refused.is_some()];
                    @if let Some(r) = refused { p.field-error role="alert" { (r.message) } }
                }
                div.field {
                    label for="webhook-description" { "What it is for (optional)" }
                    input type="text" id="webhook-description" name="description" maxlength="500"
                        value=[refused.map(|r| r.description.as_str())];
                }
                fieldset {
                    legend { "Events (none ticked: every event)" }
                    @for event in EVENT_TYPES {
                        div.check {
                            input type="checkbox" id={ "event-" (event) } name={ "event-" (event) }
                                checked[refused.is_some_and(|r| r.events.iter().any(|e| e == event))];
                            label for={ "event-" (event) } { (event) }
                        }
                    }
                }
                button type="submit" { "Add webhook" }
            }
        }
    }
}
