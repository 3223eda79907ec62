//! The team page: add team members, edit them, choose who receives hot
//! transfers, deactivate and reactivate. Validation is the admin API's.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use hotline_domain::routing::model::{Client, TeamMember};
use hotline_domain::routing::ports::ClientStore;
use hotline_domain::{TeamMemberId, Timestamp};
use maud::{Markup, html};

use super::form::FormFields;
use super::layout::{self, Section};
use super::session::{self, PageError, Viewer};
use crate::admin::{phone, text};
use crate::error::ApiError;
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
    let team = state.db.list_team(client.id).await?;
    let body = team_body(viewer, &client, &team, refused.as_ref());
    let frame = super::frame(viewer, &clients, &client, Section::Team);
    // A refused form is shown again with 200: the page is the answer.
    Ok(layout::client_page(&frame, "Team", body).into_response())
}

/// Checks a submitted name and phone the way the admin API does.
fn validate(
    fields: &FormFields,
    member: Option<TeamMemberId>,
) -> Result<(String, hotline_domain::PhoneNumber, bool), Refused> {
    let refused = |error: ApiError| {
        let (field, message) = match error {
            ApiError::Invalid { field, message, .. } => (field, message),
            other => (String::new(), other.to_string()),
        };
        Refused {
            member,
            name: fields.text("name"),
            phone: fields.text("phone"),
            receives: fields.checked("receives_hot_transfers"),
            field,
            message,
        }
    };
    let name = text("name", fields.get("name").unwrap_or_default()).map_err(refused)?;
    let number = phone("phone", fields.get("phone").unwrap_or_default()).map_err(refused)?;
    Ok((name, number, fields.checked("receives_hot_transfers")))
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
    let client = crate::admin::visible_client(&state, &viewer.caller, &id).await?;
    let (name, number, receives) = match validate(&fields, None) {
        Ok(valid) => valid,
        Err(refused) => {
            return render(&state, &viewer, &id, Some(refused)).await;
        }
    };
    let member = TeamMember {
        id: TeamMemberId::from_uuid(uuid::Uuid::now_v7()),
        client_id: client.id,
        name,
        phone: number,
        receives_hot_transfers: receives,
        active: true,
    };
    match state.db.insert_team_member(&member, Timestamp::now()).await {
        Ok(()) => Ok(session::redirect(&format!("/clients/{}/team", client.id))),
        Err(hotline_domain::routing::ports::StoreError::Conflict(_)) => {
            let refused = Refused {
                member: None,
                name: member.name,
                phone: member.phone.to_string(),
                receives,
                field: "phone".to_owned(),
                message: "another team member of this client has this phone".to_owned(),
            };
            render(&state, &viewer, &id, Some(refused)).await
        }
        Err(other) => Err(other.into()),
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
    let client = crate::admin::visible_client(&state, &viewer.caller, &id).await?;
    let not_found = || PageError::Api(ApiError::NotFound(format!("team member {member_id}")));
    let member_key = TeamMemberId::parse(&member_id).map_err(|_| not_found())?;
    let mut member = state
        .db
        .team_member(member_key)
        .await?
        .filter(|m| m.client_id == client.id)
        .ok_or_else(not_found)?;
    match fields.get("action") {
        Some("deactivate") => member.active = false,
        Some("reactivate") => member.active = true,
        _ => match validate(&fields, Some(member.id)) {
            Ok((name, number, receives)) => {
                member.name = name;
                member.phone = number;
                member.receives_hot_transfers = receives;
            }
            Err(refused) => {
                return render(&state, &viewer, &id, Some(refused)).await;
            }
        },
    }
    match state.db.update_team_member(&member, Timestamp::now()).await {
        Ok(()) => Ok(session::redirect(&format!("/clients/{}/team", client.id))),
        Err(hotline_domain::routing::ports::StoreError::Conflict(_)) => {
            let refused = Refused {
                member: Some(member.id),
                name: member.name,
                phone: member.phone.to_string(),
                receives: member.receives_hot_transfers,
                field: "phone".to_owned(),
                message: "another team member of this client has this phone".to_owned(),
            };
            render(&state, &viewer, &id, Some(refused)).await
        }
        Err(other) => Err(other.into()),
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
