//! The leads pages: a list of the client's leads, newest first, and one
//! lead's whole story (its messages with their scores, Hotline's
//! decisions and replies, every call leg, the escalation and its texts,
//! the claim and the booking) with what an owner can do from there: claim
//! it for a team member, mark it booked, say whether a message was hot.
//! Every action goes through the same service functions as the admin API.

use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use hotline_domain::intent::{MessageRef, NewIntentLabel};
use hotline_domain::reports::{LeadCursor, LeadFilter, LeadQuery, LeadSummary, Period};
use hotline_domain::routing::model::EscalationId;
use hotline_domain::{LeadId, PhoneNumber, TeamMemberId, Timestamp};
use maud::{Markup, html};
use serde::Deserialize;

mod story;

use story::{DELIVERIES_SHOWN, story, with_deliveries};

use super::form::FormFields;
use super::layout::{self, Section};
use super::session::{self, PageError, Viewer};
use crate::error::ApiError;
use crate::extract::{ApiPath as Path, ApiQuery as Query};
use crate::state::AppState;

/// Leads per page of the list.
const PAGE_SIZE: u32 = 50;

/// The list's query: `?status=` one kind of lead only (`waiting` for a
/// callback, `hot`, `after_hours`, `booked`; `?show=` is read the same),
/// `?from=&to=` local dates the leads first texted in, and `?before=` the
/// cursor of the previous page's last lead.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    status: Option<String>,
    show: Option<String>,
    from: Option<String>,
    to: Option<String>,
    before: Option<String>,
}

impl ListQuery {
    /// The filter asked for; every lead when none or an unknown one.
    fn filter(&self) -> LeadFilter {
        self.status
            .as_deref()
            .or(self.show.as_deref())
            .and_then(LeadFilter::parse)
            .unwrap_or_default()
    }

    /// The period asked for, when either date is given.
    fn period(&self, zone: &jiff::tz::TimeZone) -> Result<Option<Period>, PageError> {
        let from = self.from.as_deref().filter(|d| !d.is_empty());
        let to = self.to.as_deref().filter(|d| !d.is_empty());
        if from.is_none() && to.is_none() {
            return Ok(None);
        }
        let today = zone.to_datetime(Timestamp::now()).date().to_string();
        let from = from.unwrap_or("2000-01-01");
        let to = to.unwrap_or(&today);
        Period::parse(zone, Some(from), Some(to), Timestamp::now())
            .map(Some)
            .map_err(|e| {
                PageError::Api(ApiError::BadRequest {
                    code: "invalid_period",
                    message: e.message,
                    field: Some(e.field.to_owned()),
                })
            })
    }

    /// The query string of this list without its cursor (`&`-joined, each
    /// part led by `&`).
    fn kept(&self, filter: LeadFilter, period: Option<&Period>) -> String {
        let mut kept = String::new();
        if filter != LeadFilter::All {
            kept.push_str(&format!("&status={}", filter.as_str()));
        }
        if let Some(period) = period {
            kept.push_str(&format!("&from={}&to={}", period.from, period.to));
        }
        kept
    }
}

/// A filter's name on the page.
fn filter_label(filter: LeadFilter) -> &'static str {
    match filter {
        LeadFilter::All => "All leads",
        LeadFilter::Waiting => "Waiting for a callback",
        LeadFilter::Hot => "Hot",
        LeadFilter::AfterHours => "After hours",
        LeadFilter::Booked => "Booked",
    }
}

/// `?done=` after an action on a lead.
#[derive(Debug, Default, Deserialize)]
pub struct StoryQuery {
    done: Option<String>,
}

fn lead_id(text: &str) -> Result<LeadId, PageError> {
    LeadId::parse(text).map_err(|_| PageError::Api(ApiError::NotFound(format!("lead {text}"))))
}

/// An RFC 3339 instant as the client's local "Mon 30 Nov 14:05".
fn local(at: &str, zone: &jiff::tz::TimeZone) -> String {
    let this_year = zone.to_datetime(Timestamp::now()).year();
    at.parse::<Timestamp>()
        .map(|t| {
            let local = zone.to_datetime(t);
            let format = if local.year() == this_year {
                "%a %d %b %H:%M"
            } else {
                "%a %d %b %Y %H:%M"
            };
            local.strftime(format).to_string()
        })
        .unwrap_or_else(|_| at.to_owned())
}

/// `GET /clients/{id}/leads`: newest first, a page at a time.
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(query): Query<ListQuery>,
) -> Result<Response, PageError> {
    let (client, clients) = super::client_and_list(&state, &viewer, &id).await?;
    let zone = client.timezone.zone();
    let filter = query.filter();
    let period = query.period(zone)?;
    let before = query.before.as_deref().and_then(LeadCursor::decode);
    let leads = state
        .reports
        .lead_page(
            &viewer.caller.0,
            client.id,
            &LeadQuery {
                filter,
                since: period.as_ref().map(|p| p.start),
                until: period.as_ref().map(|p| p.end),
                before,
                limit: PAGE_SIZE + 1,
            },
        )
        .await?;
    let more = leads.len() > PAGE_SIZE as usize;
    let next = leads
        .get(PAGE_SIZE as usize - 1)
        .filter(|_| more)
        .and_then(cursor_of);
    let base = format!("/clients/{}/leads", client.id);
    let kept = query.kept(filter, period.as_ref());
    let first_page = kept
        .strip_prefix('&')
        .map_or_else(|| base.clone(), |q| format!("{base}?{q}"));
    let body = html! {
        nav.filters aria-label="Which leads" {
            @for each in LeadFilter::ALL {
                @let href = ListQuery::default().kept(each, period.as_ref()).strip_prefix('&').map_or_else(|| base.clone(), |q| format!("{base}?{q}"));
                a href=(href) aria-current=[(each == filter).then_some("page")] { (filter_label(each)) }
            }
        }
        form.inline.card method="get" action=(base) aria-label="First texted" {
            @if filter != LeadFilter::All { input type="hidden" name="status" value=(filter.as_str()); }
            div {
                label for="from" { "First texted from" }
                input #from type="date" name="from" value=[period.as_ref().map(|p| p.from)];
            }
            div {
                label for="to" { "To" }
                input #to type="date" name="to" value=[period.as_ref().map(|p| p.to)];
            }
            button type="submit" { "Show" }
            @if period.is_some() {
                a href=(ListQuery::default().kept(filter, None).strip_prefix('&').map_or_else(|| base.clone(), |q| format!("{base}?{q}"))) { "Any time" }
            }
            p.hint { "Dates in " (client.timezone) "." }
        }
        @if leads.is_empty() && before.is_some() {
            p.hint { "No older leads. " a href=(first_page) { "Newest leads" } }
        } @else if leads.is_empty() {
            @match filter {
                LeadFilter::All => p.hint { "No leads yet: they appear here as soon as they text the client's number." },
                LeadFilter::Waiting => p.hint { "Nobody is waiting for a callback." },
                _ => p.hint { "No leads of this kind." },
            }
        } @else {
            ul.leads #leads {
                @for lead in leads.iter().take(PAGE_SIZE as usize) {
                    (lead_row(&base, lead, zone, &client.twilio_number))
                }
            }
            nav.pager aria-label="Pages of leads" {
                @if before.is_some() { a href=(first_page) { "Newest leads" } }
                @if let Some(next) = &next { a href={ (base) "?before=" (next) (kept) } rel="next" { "Older leads" } }
            }
        }
    };
    let frame = super::frame(&viewer, &clients, &client, Section::Leads);
    Ok(layout::client_page(&frame, "Leads", body).into_response())
}

/// The cursor that reads on after `lead`.
fn cursor_of(lead: &LeadSummary) -> Option<String> {
    Some(
        LeadCursor {
            created_at: lead.created_at.parse().ok()?,
            id: LeadId::parse(&lead.id).ok()?,
        }
        .encode(),
    )
}

/// A stored phone as the client's country writes it.
pub(super) fn national(phone: &str, home: &PhoneNumber) -> String {
    PhoneNumber::parse(phone).map_or_else(|_| phone.to_owned(), |p| p.national_format(home))
}

fn lead_row(
    base: &str,
    lead: &LeadSummary,
    zone: &jiff::tz::TimeZone,
    home: &PhoneNumber,
) -> Markup {
    html! {
        li {
            a href={ (base) "/" (lead.id) } { (national(&lead.phone, home)) }
            span.badge { (status_words(&lead.status)) }
            @if lead.booked_at.is_some() { span.badge.open { "Booked" } }
            @if lead.opted_out { span.badge { "Opted out" } }
            @if let Some(who) = &lead.handled_by { span.who { "with " (who) } }
            span.when { "first texted " (local(&lead.created_at, zone)) }
            @if let Some(message) = &lead.last_message {
                p.last {
                    @if let Some(at) = &lead.last_message_at { span.when { (local(at, zone)) ": " } }
                    "“" (shorten(message, 140)) "”"
                }
            }
        }
    }
}

/// `text` cut to about `chars` characters at a word, with an ellipsis.
fn shorten(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        return text.to_owned();
    }
    let cut: String = text.chars().take(chars).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}…")
}

/// A lead status in words.
fn status_words(status: &str) -> &str {
    match status {
        "new" => "New",
        "ringing" => "Ringing the team",
        "connected" => "Connected to an agent",
        "escalated" => "Waiting for a callback",
        "claimed" => "Claimed",
        "booked" => "Booked",
        "opted_out" => "Opted out",
        other => other,
    }
}

/// `GET /clients/{id}/leads/{lead_id}`: the lead's story and actions.
pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, lead)): Path<(String, String)>,
    Query(query): Query<StoryQuery>,
) -> Result<Response, PageError> {
    let (client, clients) = super::client_and_list(&state, &viewer, &id).await?;
    let lead = lead_id(&lead)?;
    let detail = state
        .reports
        .lead(&viewer.caller.0, client.id, lead)
        .await?;
    let team = state.admin.team(&viewer.caller.0, client.id).await?;
    let deliveries = state
        .webhooks
        .lead_attempts(&viewer.caller.0, client.id, lead, DELIVERIES_SHOWN)
        .await?;
    let zone = client.timezone.zone();
    let base = format!("/clients/{}/leads/{}", client.id, detail.lead.id);
    let open_escalation = detail
        .escalations
        .iter()
        .find(|e| e.claimed_by.is_none() && e.closed_at.is_none());
    let done = match query.done.as_deref() {
        Some("booked") => Some("Marked booked."),
        Some("claimed") => Some("Claimed."),
        Some("labelled") => Some("Thanks: your answer trains the hot-lead detector."),
        _ => None,
    };
    let body = html! {
        @if let Some(done) = done { p.notice role="status" { (done) } }
        section.card aria-labelledby="lead-facts" {
            h2 #lead-facts { (national(&detail.lead.phone, &client.twilio_number)) }
            p {
                span.badge { (status_words(&detail.lead.status)) }
                @if detail.lead.opted_out { " " span.badge { "Opted out" } }
                " first texted " (local(&detail.lead.created_at, zone))
            }
            div.actions {
                @if open_escalation.is_some() && !team.iter().any(|m| m.active) {
                    p.hint { "Waiting for a callback, and no active team member to claim it for: add or reactivate one on the Team page." }
                }
                @if let Some(escalation) = open_escalation.filter(|_| team.iter().any(|m| m.active)) {
                    form.inline method="post" action={ (base) "/claim" } {
                        input type="hidden" name="csrf" value=(viewer.csrf_token);
                        input type="hidden" name="escalation" value=(escalation.id);
                        div {
                            label for="claim-member" { "Claim for" }
                            select #claim-member name="member" {
                                @for member in team.iter().filter(|m| m.active) {
                                    option value=(member.id) { (member.name) }
                                }
                            }
                        }
                        button.primary type="submit" { "Claim this lead" }
                    }
                }
                @if detail.lead.booked_at.is_none() && !detail.lead.opted_out {
                    form.inline method="post" action={ (base) "/book" } {
                        input type="hidden" name="csrf" value=(viewer.csrf_token);
                        button type="submit" { "Mark booked" }
                    }
                }
            }
        }
        section.card aria-labelledby="lead-story" {
            h2 #lead-story { "What happened" }
            ol.story #story {
                @for event in with_deliveries(story(&detail, &team, &base, &viewer.csrf_token, zone, &client.twilio_number), &deliveries) {
                    li {
                        time datetime=(event.at) { (local(&event.at, zone)) }
                        div { (event.what) }
                    }
                }
            }
        }
        p { a href={ "/clients/" (client.id) "/leads" } { "All leads" } }
    };
    let frame = super::frame(&viewer, &clients, &client, Section::Leads);
    Ok(layout::client_page(&frame, "Lead", body).into_response())
}

/// `POST /clients/{id}/leads/{lead_id}/book`.
pub async fn book(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, lead)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, PageError> {
    viewer.check_csrf(FormFields::parse(&body).get("csrf"))?;
    let (client, _) = super::client_and_list(&state, &viewer, &id).await?;
    let lead = lead_id(&lead)?;
    state
        .routing
        .book_appointment_as(&viewer.caller.0, client.id, lead)
        .await
        .map_err(ApiError::from)?;
    Ok(session::redirect(&format!(
        "/clients/{}/leads/{lead}?done=booked",
        client.id
    )))
}

/// `POST /clients/{id}/leads/{lead_id}/claim`: for the chosen member.
pub async fn claim(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, lead)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, PageError> {
    let fields = FormFields::parse(&body);
    viewer.check_csrf(fields.get("csrf"))?;
    let (client, _) = super::client_and_list(&state, &viewer, &id).await?;
    let lead = lead_id(&lead)?;
    let not_found = |what: &str| PageError::Api(ApiError::NotFound(what.to_owned()));
    let escalation = fields
        .get("escalation")
        .and_then(|e| uuid::Uuid::try_parse(e.trim()).ok())
        .map(EscalationId)
        .ok_or_else(|| not_found("escalation"))?;
    let member = fields
        .get("member")
        .and_then(|m| TeamMemberId::parse(m.trim()).ok())
        .ok_or_else(|| not_found("team member"))?;
    // The escalation must be this lead's, so the page says what happened.
    let detail = state
        .reports
        .lead(&viewer.caller.0, client.id, lead)
        .await?;
    if !detail
        .escalations
        .iter()
        .any(|e| e.id == escalation.0.to_string())
    {
        return Err(not_found("escalation of this lead"));
    }
    let follow_ups = state
        .routing
        .claim_escalation_as(&viewer.caller.0, escalation, member)
        .await
        .map_err(ApiError::from)?;
    state.work_stored(&follow_ups);
    Ok(session::redirect(&format!(
        "/clients/{}/leads/{lead}?done=claimed",
        client.id
    )))
}

/// `POST /clients/{id}/leads/{lead_id}/messages/{message_id}/label`.
pub async fn label(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, lead, message)): Path<(String, String, String)>,
    body: Bytes,
) -> Result<Response, PageError> {
    let fields = FormFields::parse(&body);
    viewer.check_csrf(fields.get("csrf"))?;
    let (client, _) = super::client_and_list(&state, &viewer, &id).await?;
    let lead = lead_id(&lead)?;
    let hot = match fields.get("hot") {
        Some("yes") => true,
        Some("no") => false,
        _ => {
            return Err(PageError::Api(ApiError::BadRequest {
                code: "invalid_label",
                message: "answer yes or no".to_owned(),
                field: Some("hot".to_owned()),
            }));
        }
    };
    state
        .feedback
        .record_label(NewIntentLabel {
            client: client.id,
            lead,
            message: MessageRef::parse(&message),
            hot,
            labelled_by: viewer.caller.0.admin_id(),
            at: Timestamp::now(),
        })
        .await
        .map_err(|error| PageError::Api(crate::feedback::feedback_error(error, &message)))?;
    Ok(session::redirect(&format!(
        "/clients/{}/leads/{lead}?done=labelled",
        client.id
    )))
}
