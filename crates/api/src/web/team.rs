//! The team page: add team members, edit them, choose who receives hot
//! transfers, deactivate and reactivate. Validation is the admin API's.

use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use hotline_domain::admin::{AdminError, MemberChanges, NewMember};
use hotline_domain::routing::model::{Client, TeamMember};
use hotline_domain::{TeamMemberId, Timestamp};
use maud::{Markup, html};

use super::form::FormFields;
use super::layout::{self, Section};
use super::session::{self, PageError, Viewer};
use crate::admin::client_id;
use crate::error::ApiError;
use crate::extract::ApiPath as Path;
use crate::state::AppState;

/// A form on the page that was refused, shown again with its values.
#[derive(Debug, Default)]
struct Refused {
    /// The member edited, or `None` for the "add" form.
    member: Option<TeamMemberId>,
    name: String,
    phone: String,
    receives: bool,
    /// `name` or `phone`, and why.
    field: String,
    message: String,
}

/// `GET /clients/{id}/team`.
pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    render(&state, &viewer, &id, None).await
}

async fn render(
    state: &AppState,
    viewer: &Viewer,
    id: &str,
    refused: Option<Refused>,
) -> Result<Response, PageError> {
    let (client, clients) = super::client_and_list(state, viewer, id).await?;
    let team = state.admin.team(&viewer.caller.0, client.id).await?;
    let body = team_body(viewer, &client, &team, refused.as_ref());
    let frame = super::frame(viewer, &clients, &client, Section::Team);
    // A refused form is shown again with 200: the page is the answer.
    Ok(layout::client_page(&frame, "Team", body).into_response())
}

/// The form shown again with why the service refused it; `None` when the
/// refusal is not about a field of the form (403, 404, 503...).
fn refused_form(
    error: &AdminError,
    fields: &FormFields,
    member: Option<TeamMemberId>,
) -> Option<Refused> {
    let (field, message) = match error {
        AdminError::Invalid(invalid) => (invalid.field.clone(), invalid.message.clone()),
        AdminError::PhoneTaken => ("phone".to_owned(), error.to_string()),
        _ => return None,
    };
    Some(Refused {
        member,
        name: fields.text("name"),
        phone: fields.text("phone"),
        receives: fields.checked("receives_hot_transfers"),
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
    let client = client_id(&id)?;
    let new = NewMember {
        name: fields.text("name"),
        phone: fields.text("phone"),
        receives_hot_transfers: fields.checked("receives_hot_transfers"),
        priority: None,
        available: None,
    };
    match state
        .admin
        .add_member(&viewer.caller.0, client, new, Timestamp::now())
        .await
    {
        Ok(_) => Ok(session::redirect(&format!("/clients/{client}/team"))),
        Err(error) => match refused_form(&error, &fields, None) {
            Some(refused) => render(&state, &viewer, &id, Some(refused)).await,
            None => Err(error.into()),
        },
    }
}

/// `POST /clients/{id}/team/{member_id}`: `action` is `save`,
/// `deactivate` or `reactivate`.
pub async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, member_id)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, PageError> {
    let fields = FormFields::parse(&body);
    viewer.check_csrf(fields.get("csrf"))?;
    let client = client_id(&id)?;
    let member = TeamMemberId::parse(&member_id)
        .map_err(|_| PageError::Api(ApiError::NotFound(format!("team member {member_id}"))))?;
    let changes = match fields.get("action") {
        Some("deactivate") => MemberChanges {
            active: Some(false),
            ..MemberChanges::default()
        },
        Some("reactivate") => MemberChanges {
            active: Some(true),
            ..MemberChanges::default()
        },
        _ => MemberChanges {
            name: Some(fields.text("name")),
            phone: Some(fields.text("phone")),
            receives_hot_transfers: Some(fields.checked("receives_hot_transfers")),
            ..MemberChanges::default()
        },
    };
    match state
        .admin
        .update_member(&viewer.caller.0, client, member, changes, Timestamp::now())
        .await
    {
        Ok(_) => Ok(session::redirect(&format!("/clients/{client}/team"))),
        Err(error) => match refused_form(&error, &fields, Some(member)) {
            Some(refused) => render(&state, &viewer, &id, Some(refused)).await,
            None => Err(error.into()),
        },
    }
}

fn fields_of(
    key: &str,
    name: &str,
    number: &str,
    receives: bool,
    refused: Option<&Refused>,
) -> Markup {
    let bad = |field: &str| refused.is_some_and(|r| r.field == field);
    html! {
        div {
            label for={ (key) "-name" } { "Name" }
            input type="text" id={ (key) "-name" } name="name" value=(name) maxlength="500" required
                aria-invalid=[bad("name").then_some("true")];
        }
        div {
            label for={ (key) "-phone" } { "Phone (E.164)" }
            input type="tel" id={ (key) "-phone" } name="phone" value=(number) placeholder="+15875550123" required
                aria-invalid=[bad("phone").then_some("true")];
        }
        div.check {
            input type="checkbox" id={ (key) "-receives" } name="receives_hot_transfers" checked[receives];
            label for={ (key) "-receives" } { "Receives hot transfers" }
        }
        @if let Some(refused) = refused {
            p.field-error role="alert" data-field=(refused.field) { (field_label(&refused.field)) ": " (refused.message) }
        }
    }
}

fn field_label(field: &str) -> &str {
    match field {
        "name" => "Name",
        "phone" => "Phone",
        _ => "Problem",
    }
}

fn team_body(
    viewer: &Viewer,
    client: &Client,
    team: &[TeamMember],
    refused: Option<&Refused>,
) -> Markup {
    let base = format!("/clients/{}/team", client.id);
    let ringing = team
        .iter()
        .filter(|m| m.active && m.receives_hot_transfers)
        .count();
    let adding = refused.filter(|r| r.member.is_none());
    html! {
        p.hint { (ringing) " of " (team.len()) " team members ring when a hot lead texts." }
        section.card aria-labelledby="members" {
            h2 #members { "Team members" }
            @if team.is_empty() {
                p.hint { "No team members yet. Add the people whose phones should ring." }
            }
            @for member in team {
                @let key = format!("m-{}", member.id);
                @let mine = refused.filter(|r| r.member == Some(member.id));
                form.member.inactive[!member.active] method="post" action={ (base) "/" (member.id) } data-member=(member.id) {
                    input type="hidden" name="csrf" value=(viewer.csrf_token);
                    @match mine {
                        Some(r) => (fields_of(&key, &r.name, &r.phone, r.receives, Some(r))),
                        None => (fields_of(&key, &member.name, member.phone.as_str(), member.receives_hot_transfers, None)),
                    }
                    button type="submit" name="action" value="save" { "Save" }
                    @if member.active {
                        button type="submit" name="action" value="deactivate" { "Deactivate" }
                    } @else {
                        button type="submit" name="action" value="reactivate" { "Reactivate" }
                    }
                }
            }
        }
        form.card method="post" action=(base) aria-labelledby="add-member" {
            h2 #add-member { "Add a team member" }
            input type="hidden" name="csrf" value=(viewer.csrf_token);
            div.member {
                @match adding {
                    Some(r) => (fields_of("new", &r.name, &r.phone, r.receives, Some(r))),
                    None => (fields_of("new", "", "", true, None)),
                }
                button.primary type="submit" { "Add" }
            }
        }
    }
}
