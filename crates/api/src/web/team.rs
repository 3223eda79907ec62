//! The team page: every member in a list with what they get (rings, texts
//! only, away, inactive), one member edited at a time, phones typed the
//! way the client's country writes them (`(780) 555-0142`) and stored in
//! E.164, priority and availability, deactivation after a confirmation,
//! and "Saved" after each change. Validation is the admin API's.

use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use hotline_domain::admin::{AdminError, MemberChanges, NewMember};
use hotline_domain::routing::model::{Client, TeamMember};
use hotline_domain::{PhoneNumber, TeamMemberId, Timestamp};
use maud::{Markup, html};
use serde::Deserialize;

use super::form::FormFields;
use super::layout::{self, Section};
use super::session::{self, PageError, Viewer};
use crate::admin::client_id;
use crate::error::ApiError;
use crate::extract::{ApiPath as Path, ApiQuery as Query};
use crate::state::AppState;

/// `?edit=` a member, `?deactivate=` a member (the confirmation), and
/// `?saved=` the member just changed.
#[derive(Debug, Default, Deserialize)]
pub struct TeamQuery {
    edit: Option<String>,
    deactivate: Option<String>,
    saved: Option<String>,
}

/// A member form as typed.
#[derive(Debug, Clone, Default)]
struct Typed {
    name: String,
    phone: String,
    receives: bool,
    priority: String,
    available: bool,
}

impl Typed {
    fn of(member: &TeamMember, home: &PhoneNumber) -> Self {
        Self {
            name: member.name.clone(),
            phone: member.phone.national_format(home),
            receives: member.receives_hot_transfers,
            priority: member.priority.to_string(),
            available: member.available,
        }
    }

    fn from_fields(fields: &FormFields) -> Self {
        Self {
            name: fields.text("name"),
            phone: fields.text("phone"),
            receives: fields.checked("receives_hot_transfers"),
            priority: fields.text("priority"),
            available: fields.checked("available"),
        }
    }
}

/// A form that was refused, shown again with its values.
#[derive(Debug, Clone, Default)]
struct Refused {
    /// The member edited, or `None` for the "add" form.
    member: Option<TeamMemberId>,
    typed: Typed,
    /// `name`, `phone` or `priority`, and why.
    field: String,
    message: String,
}

/// What the page shows.
#[derive(Debug, Default)]
struct View {
    editing: Option<TeamMemberId>,
    confirming: Option<TeamMemberId>,
    saved: Option<TeamMemberId>,
    refused: Option<Refused>,
}

fn member_id(text: &str) -> Result<TeamMemberId, PageError> {
    TeamMemberId::parse(text)
        .map_err(|_| PageError::Api(ApiError::NotFound(format!("team member {text}"))))
}

/// `GET /clients/{id}/team`.
pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(query): Query<TeamQuery>,
) -> Result<Response, PageError> {
    let view = View {
        editing: query
            .edit
            .as_deref()
            .and_then(|m| TeamMemberId::parse(m).ok()),
        confirming: query
            .deactivate
            .as_deref()
            .and_then(|m| TeamMemberId::parse(m).ok()),
        saved: query
            .saved
            .as_deref()
            .and_then(|m| TeamMemberId::parse(m).ok()),
        refused: None,
    };
    render(&state, &viewer, &id, view).await
}

async fn render(
    state: &AppState,
    viewer: &Viewer,
    id: &str,
    view: View,
) -> Result<Response, PageError> {
    let (client, clients) = super::client_and_list(state, viewer, id).await?;
    let team = state.admin.team(&viewer.caller.0, client.id).await?;
    let body = team_body(viewer, &client, &team, &view);
    let frame = super::frame(viewer, &clients, &client, Section::Team);
    // A refused form is shown again with 200: the page is the answer.
    Ok(layout::client_page(&frame, "Team", body).into_response())
}

/// The phone as typed, read in the client's country; the text as typed
/// when it is not a number (the service says why).
fn phone_of(typed: &str, client: &Client) -> String {
    PhoneNumber::parse_in_country_of(typed, &client.twilio_number)
        .map_or_else(|_| typed.to_owned(), |p| p.as_str().to_owned())
}

/// The priority as typed: `None` when empty.
fn priority_of(typed: &str) -> Result<Option<i64>, String> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(None);
    }
    typed
        .parse::<i64>()
        .map(Some)
        .map_err(|_| "must be a whole number from 1 to 1000".to_owned())
}

/// The form shown again with why the service refused it; `None` when the
/// refusal is not about a field of the form (403, 404, 503...).
fn refused_form(error: &AdminError, typed: Typed, member: Option<TeamMemberId>) -> Option<Refused> {
    let (field, message) = match error {
        AdminError::Invalid(invalid) if invalid.field == "phone" => (
            "phone".to_owned(),
            "is not a phone number: type it as (780) 555-0142 or +17805550142".to_owned(),
        ),
        AdminError::Invalid(invalid) => (invalid.field.clone(), invalid.message.clone()),
        AdminError::PhoneTaken => ("phone".to_owned(), error.to_string()),
        _ => return None,
    };
    Some(Refused {
        member,
        typed,
        field,
        message,
    })
}

/// `POST /clients/{id}/team`: adds a member.
pub async fn add(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let fields = FormFields::parse(&body);
    viewer.check_csrf(fields.get("csrf"))?;
    let client = state
        .admin
        .client(&viewer.caller.0, client_id(&id)?)
        .await?;
    let mut typed = Typed::from_fields(&fields);
    typed.available = true;
    let result = match priority_of(&typed.priority) {
        Ok(priority) => {
            let new = NewMember {
                name: typed.name.clone(),
                phone: phone_of(&typed.phone, &client),
                receives_hot_transfers: typed.receives,
                priority,
                available: None,
            };
            state
                .admin
                .add_member(&viewer.caller.0, client.id, new, Timestamp::now())
                .await
                .map_err(|e| refused_form(&e, typed.clone(), None).ok_or(e))
        }
        Err(message) => Err(Ok(Refused {
            member: None,
            typed: typed.clone(),
            field: "priority".to_owned(),
            message,
        })),
    };
    match result {
        Ok(member) => Ok(session::redirect(&format!(
            "/clients/{}/team?saved={}#member-{}",
            client.id, member.id, member.id
        ))),
        Err(Ok(refused)) => {
            let view = View {
                refused: Some(refused),
                ..View::default()
            };
            render(&state, &viewer, &id, view).await
        }
        Err(Err(error)) => Err(error.into()),
    }
}

/// `POST /clients/{id}/team/{member_id}`: `action` is `save`,
/// `deactivate` (with `confirm`) or `reactivate`.
pub async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, member_id_text)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, PageError> {
    let fields = FormFields::parse(&body);
    viewer.check_csrf(fields.get("csrf"))?;
    let client = state
        .admin
        .client(&viewer.caller.0, client_id(&id)?)
        .await?;
    let member = member_id(&member_id_text)?;
    let back = format!("/clients/{}/team", client.id);
    let typed = Typed::from_fields(&fields);
    let changes = match fields.get("action") {
        Some("deactivate") if fields.get("confirm") == Some("yes") => MemberChanges {
            active: Some(false),
            ..MemberChanges::default()
        },
        // Deactivating asks first.
        Some("deactivate") => {
            return Ok(session::redirect(&format!(
                "{back}?deactivate={member}#confirm"
            )));
        }
        Some("reactivate") => MemberChanges {
            active: Some(true),
            ..MemberChanges::default()
        },
        _ => match priority_of(&typed.priority) {
            Ok(priority) => MemberChanges {
                name: Some(typed.name.clone()),
                phone: Some(phone_of(&typed.phone, &client)),
                receives_hot_transfers: Some(typed.receives),
                priority,
                available: Some(typed.available),
                ..MemberChanges::default()
            },
            Err(message) => {
                let view = View {
                    editing: Some(member),
                    refused: Some(Refused {
                        member: Some(member),
                        typed,
                        field: "priority".to_owned(),
                        message,
                    }),
                    ..View::default()
                };
                return render(&state, &viewer, &id, view).await;
            }
        },
    };
    match state
        .admin
        .update_member(
            &viewer.caller.0,
            client.id,
            member,
            changes,
            Timestamp::now(),
        )
        .await
    {
        Ok(_) => Ok(session::redirect(&format!(
            "{back}?saved={member}#member-{member}"
        ))),
        Err(error) => match refused_form(&error, typed, Some(member)) {
            Some(refused) => {
                let view = View {
                    editing: Some(member),
                    refused: Some(refused),
                    ..View::default()
                };
                render(&state, &viewer, &id, view).await
            }
            None => Err(error.into()),
        },
    }
}

/// What a member gets, as a chip: inactive, away, rings or texts only.
fn status_chip(member: &TeamMember) -> Markup {
    let (class, text, title) = if !member.active {
        ("chip inactive", "Inactive", "Neither rung nor texted.")
    } else if !member.available {
        (
            "chip away",
            "Away",
            "Off duty: neither rung nor texted until they text BACK.",
        )
    } else if member.receives_hot_transfers {
        (
            "chip rings",
            "Rings",
            "Rung for hot leads and texted about leads waiting for a callback.",
        )
    } else {
        (
            "chip texts",
            "Texts only",
            "Not rung; still texted about leads waiting for a callback.",
        )
    };
    html! { span class=(class) title=(title) { (text) } }
}

fn member_fields(key: &str, typed: &Typed, refused: Option<&Refused>, editing: bool) -> Markup {
    let bad = |field: &str| refused.is_some_and(|r| r.field == field);
    let first_bad = refused.map(|r| r.field.as_str());
    html! {
        div.field {
            label for={ (key) "-name" } { "Name" }
            input type="text" id={ (key) "-name" } name="name" value=(typed.name) maxlength="500" required
                aria-invalid=[bad("name").then_some("true")] autofocus[first_bad == Some("name")];
        }
        div.field {
            label for={ (key) "-phone" } { "Phone" }
            input type="tel" id={ (key) "-phone" } name="phone" value=(typed.phone) placeholder="(780) 555-0142" required
                autocomplete="tel-national"
                aria-invalid=[bad("phone").then_some("true")] autofocus[first_bad == Some("phone")];
        }
        div.field {
            label for={ (key) "-priority" } { "Priority" }
            input.short type="number" id={ (key) "-priority" } name="priority" value=(typed.priority) min="1" max="1000" placeholder="100"
                aria-invalid=[bad("priority").then_some("true")] autofocus[first_bad == Some("priority")];
        }
        div.check {
            input type="checkbox" id={ (key) "-receives" } name="receives_hot_transfers" checked[typed.receives];
            label for={ (key) "-receives" } { "Rings for hot leads" }
        }
        @if editing {
            div.check {
                input type="checkbox" id={ (key) "-available" } name="available" checked[typed.available];
                label for={ (key) "-available" } { "On duty (off: away, neither rung nor texted)" }
            }
        }
        p.hint { "Lower priority rings first when the team rings one at a time or in tiers. Members who do not ring are still texted about leads waiting for a callback." }
        @if let Some(refused) = refused {
            p.field-error role="alert" data-field=(refused.field) { (field_label(&refused.field)) ": " (refused.message) }
        }
    }
}

fn field_label(field: &str) -> &str {
    match field {
        "name" => "Name",
        "phone" => "Phone",
        "priority" => "Priority",
        _ => "Problem",
    }
}

fn member_row(base: &str, member: &TeamMember, client: &Client, saved: bool) -> Markup {
    html! {
        li.member.inactive[!member.active] id={ "member-" (member.id) } data-member=(member.id) {
            span.name { (member.name) }
            span.phone { (member.phone.national_format(&client.twilio_number)) }
            (status_chip(member))
            span.hint { "priority " (member.priority) }
            @if saved { span.saved role="status" { "Saved" } }
            a.edit href={ (base) "?edit=" (member.id) "#edit" } aria-label={ "Edit " (member.name) } { "Edit" }
        }
    }
}

fn edit_form(
    viewer: &Viewer,
    base: &str,
    member: &TeamMember,
    client: &Client,
    refused: Option<&Refused>,
) -> Markup {
    let typed = refused.map_or_else(
        || Typed::of(member, &client.twilio_number),
        |r| r.typed.clone(),
    );
    html! {
        section.card #edit aria-labelledby="edit-title" {
            h2 #edit-title { "Edit " (member.name) }
            form method="post" action={ (base) "/" (member.id) } {
                input type="hidden" name="csrf" value=(viewer.csrf_token);
                (member_fields("edit", &typed, refused, true))
                p.actions {
                    button.primary type="submit" name="action" value="save" { "Save" }
                    a href=(base) { "Cancel" }
                }
            }
            form method="post" action={ (base) "/" (member.id) } {
                input type="hidden" name="csrf" value=(viewer.csrf_token);
                @if member.active {
                    button.danger type="submit" name="action" value="deactivate" { "Deactivate…" }
                } @else {
                    button type="submit" name="action" value="reactivate" { "Reactivate" }
                }
            }
        }
    }
}

fn confirm_form(viewer: &Viewer, base: &str, member: &TeamMember) -> Markup {
    html! {
        section.card.confirm #confirm aria-labelledby="confirm-title" {
            h2 #confirm-title { "Deactivate " (member.name) "?" }
            p { (member.name) " will no longer ring or be texted about leads. Their calls and claims stay in the history, and you can reactivate them later." }
            form method="post" action={ (base) "/" (member.id) } {
                input type="hidden" name="csrf" value=(viewer.csrf_token);
                input type="hidden" name="confirm" value="yes";
                p.actions {
                    button.danger type="submit" name="action" value="deactivate" autofocus { "Yes, deactivate" }
                    a href=(base) { "Cancel" }
                }
            }
        }
    }
}

fn team_body(viewer: &Viewer, client: &Client, team: &[TeamMember], view: &View) -> Markup {
    let base = format!("/clients/{}/team", client.id);
    let ringing = team
        .iter()
        .filter(|m| m.active && m.available && m.receives_hot_transfers)
        .count();
    let active = team.iter().filter(|m| m.active).count();
    let adding = view.refused.as_ref().filter(|r| r.member.is_none());
    let editing = view.editing.and_then(|id| team.iter().find(|m| m.id == id));
    let confirming = view
        .confirming
        .and_then(|id| team.iter().find(|m| m.id == id && m.active));
    let saved = view.saved.and_then(|id| team.iter().find(|m| m.id == id));
    html! {
        @if let Some(member) = saved {
            p.notice role="status" { "Saved " (member.name) "." }
        }
        @if let Some(member) = confirming { (confirm_form(viewer, &base, member)) }
        @if let Some(member) = editing {
            (edit_form(viewer, &base, member, client, view.refused.as_ref().filter(|r| r.member == Some(member.id))))
        }
        section.card aria-labelledby="members" {
            h2 #members { "Team members" }
            p.hint { (ringing) " of " (active) " active members ring when a hot lead texts." }
            @if team.is_empty() {
                p.hint { "No team members yet. Add the people whose phones should ring." }
            } @else {
                ul.members #team {
                    @for member in team {
                        (member_row(&base, member, client, view.saved == Some(member.id)))
                    }
                }
            }
        }
        form.card method="post" action=(base) aria-labelledby="add-member" #add {
            h2 #add-member { "Add a team member" }
            input type="hidden" name="csrf" value=(viewer.csrf_token);
            @match adding {
                Some(r) => (member_fields("new", &r.typed, Some(r), false)),
                None => (member_fields("new", &Typed { receives: true, available: true, ..Typed::default() }, None, false)),
            }
            p.actions { button.primary type="submit" { "Add" } }
        }
    }
}
