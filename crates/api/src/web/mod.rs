//! Hotline's web pages for admins: sign-in, the dashboard, business hours
//! and the team. Server-rendered HTML (maud), no JavaScript; every form
//! carries the session's CSRF token and goes through the same validation
//! as the admin API.

mod dashboard;
mod form;
mod hours;
mod layout;
mod leads;
mod session;
mod settings;
mod team;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use hotline_domain::routing::model::Client;
use maud::html;
use serde::Deserialize;

use crate::state::AppState;
use form::FormFields;
use layout::{Frame, Section};
use session::{PageError, Viewer};

/// The policy every page is served with: nothing from elsewhere, no
/// scripts, forms only to this server, never framed.
const CONTENT_SECURITY: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The web pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/login", get(sign_in_page).post(sign_in))
        .route("/logout", post(sign_out))
        .route("/switch", get(switch))
        .route("/clients/{id}/dashboard", get(dashboard::page))
        .route("/clients/{id}/hours", get(hours::page).post(hours::save))
        .route("/clients/{id}/team", get(team::page).post(team::add))
        .route("/clients/{id}/team/{member_id}", post(team::update))
        .route("/clients/{id}/leads", get(leads::list))
        .route("/clients/{id}/leads/{lead_id}", get(leads::page))
        .route("/clients/{id}/leads/{lead_id}/book", post(leads::book))
        .route("/clients/{id}/leads/{lead_id}/claim", post(leads::claim))
        .route(
            "/clients/{id}/leads/{lead_id}/messages/{message_id}/label",
            post(leads::label),
        )
        .route(
            "/clients/{id}/settings",
            get(settings::page).post(settings::save),
        )
        .route(
            "/clients/{id}/settings/webhooks",
            post(settings::webhooks::create),
        )
        .route(
            "/clients/{id}/settings/webhooks/{webhook_id}/delete",
            post(settings::webhooks::delete),
        )
        .route("/assets/hotline.css", get(layout::stylesheet))
        .layer(axum::middleware::map_response(secure_headers))
}

async fn secure_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY),
    );
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    if !headers.contains_key(CACHE_CONTROL) {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// The clients the viewer may see, and the one with `id` among them.
async fn client_and_list(
    state: &AppState,
    viewer: &Viewer,
    id: &str,
) -> Result<(Client, Vec<Client>), PageError> {
    let client = crate::admin::visible_client(state, &viewer.caller, id).await?;
    let clients = state.admin.clients(&viewer.caller.0).await?;
    Ok((client, clients))
}

/// `GET /`: the first client's dashboard, or sign-in.
async fn home(State(state): State<AppState>, viewer: Viewer) -> Result<Response, PageError> {
    let clients = state.admin.clients(&viewer.caller.0).await?;
    match clients.first() {
        Some(client) => Ok(session::redirect(&format!("/clients/{}/dashboard", client.id))),
        None => Ok((
            StatusCode::OK,
            layout::bare_page(
                "No clients yet",
                html! {
                    p { "This admin has no clients yet. The super-admin creates clients with "
                        code { "POST /api/clients" } " and grants them with " code { "POST /api/admins" } "." }
                    form method="post" action="/logout" {
                        input type="hidden" name="csrf" value=(viewer.csrf_token);
                        button type="submit" { "Sign out" }
                    }
                },
            ),
        )
            .into_response()),
    }
}

#[derive(Debug, Deserialize)]
struct SwitchQuery {
    client: String,
    section: Option<String>,
}

/// `GET /switch?client=&section=`: the client selector's target.
async fn switch(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<SwitchQuery>,
) -> Result<Response, PageError> {
    let client = crate::admin::visible_client(&state, &viewer.caller, &query.client).await?;
    let section = match query.section.as_deref() {
        Some("hours") => Section::Hours,
        Some("team") => Section::Team,
        Some("leads") => Section::Leads,
        Some("settings") => Section::Settings,
        _ => Section::Dashboard,
    };
    Ok(session::redirect(&format!(
        "/clients/{}/{}",
        client.id,
        section.slug()
    )))
}

fn sign_in_form(
    state: &AppState,
    problem: Option<&str>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let guard = state.access.new_token()?;
    let page = layout::bare_page(
        "Sign in",
        html! {
            @if let Some(problem) = problem {
                p.alert role="alert" { (problem) }
            }
            form.card.stack method="post" action="/login" {
                input type="hidden" name="csrf" value=(guard);
                div {
                    label for="token" { "Admin token" }
                    br;
                    input #token.wide type="password" name="token" autocomplete="current-password" required;
                }
                p.hint { "The token you were given when your admin account was created." }
                button.primary type="submit" { "Sign in" }
            }
        },
    );
    let cookie = session::set_cookie(state, session::SIGN_IN_COOKIE, &guard, "/login", 900);
    Ok(session::with_cookie(
        (status, page).into_response(),
        &cookie,
    ))
}

/// `GET /login`.
async fn sign_in_page(State(state): State<AppState>) -> Result<Response, PageError> {
    sign_in_form(&state, None, StatusCode::OK)
}

/// `POST /login`: the token for a session cookie.
async fn sign_in(
    State(state): State<AppState>,
    extensions: axum::http::Extensions,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, PageError> {
    let peer = crate::auth_limit::peer(&extensions);
    if let Err(crate::error::ApiError::TooManyFailures(seconds)) =
        state.auth_limit.begin(peer, std::time::Instant::now())
    {
        let mut page = sign_in_form(
            &state,
            Some(&format!(
                "Too many wrong tokens from your address. Try again in {seconds} seconds."
            )),
            StatusCode::TOO_MANY_REQUESTS,
        )?;
        if let Ok(value) = axum::http::HeaderValue::from_str(&seconds.to_string()) {
            page.headers_mut()
                .insert(axum::http::header::RETRY_AFTER, value);
        }
        return Ok(page);
    }
    let form = FormFields::parse(&body);
    let guard = session::cookie(&headers, session::SIGN_IN_COOKIE);
    let submitted = form.get("csrf");
    if !matches!((guard, submitted), (Some(a), Some(b)) if !a.is_empty() && session::same_secret(a, b))
    {
        // Not a wrong token: the attempt does not count.
        state.auth_limit.succeeded(peer);
        return sign_in_form(
            &state,
            Some("The sign-in form expired. Please try again."),
            StatusCode::FORBIDDEN,
        );
    }
    match session::sign_in(&state, form.get("token").unwrap_or_default()).await? {
        Some(cookie) => {
            state.auth_limit.succeeded(peer);
            let response = session::with_cookie(session::redirect("/"), &cookie);
            let clear = session::set_cookie(&state, session::SIGN_IN_COOKIE, "", "/login", 0);
            Ok(session::with_cookie(response, &clear))
        }
        None => {
            // The attempt counted by `begin` stays counted.
            sign_in_form(
                &state,
                Some("That token is not valid."),
                StatusCode::UNAUTHORIZED,
            )
        }
    }
}

/// `POST /logout`.
async fn sign_out(
    State(state): State<AppState>,
    viewer: Viewer,
    body: Bytes,
) -> Result<Response, PageError> {
    let form = FormFields::parse(&body);
    viewer.check_csrf(form.get("csrf"))?;
    let cookie = session::sign_out(&state, &viewer).await?;
    Ok(session::with_cookie(session::redirect("/login"), &cookie))
}

/// The frame of a client page.
fn frame<'a>(
    viewer: &'a Viewer,
    clients: &'a [Client],
    client: &'a Client,
    section: Section,
) -> Frame<'a> {
    Frame {
        clients,
        client,
        section,
        csrf_token: &viewer.csrf_token,
    }
}
