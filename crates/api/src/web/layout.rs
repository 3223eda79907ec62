//! The frame around every page: head, header with the client selector,
//! navigation and sign-out, and the stylesheet.

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use hotline_domain::routing::model::Client;
use maud::{DOCTYPE, Markup, html};

/// The stylesheet, served at `/assets/hotline.css`.
const STYLESHEET: &str = include_str!("hotline.css");

/// The sections of a client's pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// Figures and recent activity.
    Dashboard,
    /// Business hours and closures.
    Hours,
    /// Team members.
    Team,
    /// The leads and each one's story.
    Leads,
    /// The client's settings and webhooks.
    Settings,
}

impl Section {
    /// The path segment after `/clients/{id}/`.
    pub fn slug(self) -> &'static str {
        match self {
            Self::Dashboard => "dashboard",
            Self::Hours => "hours",
            Self::Team => "team",
            Self::Leads => "leads",
            Self::Settings => "settings",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Dashboard => "Dashboard",
            Self::Hours => "Hours",
            Self::Team => "Team",
            Self::Leads => "Leads",
            Self::Settings => "Settings",
        }
    }
}

/// What the header needs to know.
pub struct Frame<'a> {
    /// The clients the admin may switch between.
    pub clients: &'a [Client],
    /// The client shown.
    pub client: &'a Client,
    /// The section shown.
    pub section: Section,
    /// The session's CSRF token, for the sign-out form.
    pub csrf_token: &'a str,
}

/// The page head shared by every page.
fn head(title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            title { (title) " · Hotline" }
            link rel="icon" href="data:,";
            link rel="stylesheet" href="/assets/hotline.css";
        }
    }
}

/// A client page: header, navigation, then `content`.
pub fn client_page(frame: &Frame<'_>, title: &str, content: Markup) -> Markup {
    let client_id = frame.client.id.to_string();
    html! {
        (DOCTYPE)
        html lang="en" {
            (head(title))
            body {
                header.top {
                    a.brand href="/" { "Hotline" }
                    form.switcher method="get" action="/switch" {
                        label for="client-select" { "Client" }
                        select #client-select name="client" {
                            @for client in frame.clients {
                                option value=(client.id) selected[client.id == frame.client.id] { (client.name) }
                            }
                        }
                        input type="hidden" name="section" value=(frame.section.slug());
                        button type="submit" { "Switch" }
                    }
                    form.signout method="post" action="/logout" {
                        input type="hidden" name="csrf" value=(frame.csrf_token);
                        button type="submit" { "Sign out" }
                    }
                }
                nav aria-label="Sections" {
                    @for section in [Section::Dashboard, Section::Leads, Section::Hours, Section::Team, Section::Settings] {
                        a href={ "/clients/" (client_id) "/" (section.slug()) }
                            aria-current=[(section == frame.section).then_some("page")] { (section.label()) }
                    }
                }
                main {
                    h1 { (title) " " span.client-name { "· " (frame.client.name) } }
                    (content)
                }
            }
        }
    }
}

/// A page that is only a message, such as sign-in or an error.
pub fn bare_page(title: &str, content: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            (head(title))
            body {
                header.top { a.brand href="/" { "Hotline" } }
                main.narrow { h1 { (title) } (content) }
            }
        }
    }
}

/// An error page with `message`.
pub fn message_page(status: StatusCode, message: &str) -> Markup {
    let title = status.canonical_reason().unwrap_or("Error");
    bare_page(
        title,
        html! {
            p.alert role="alert" { (message) }
            p { a href="/" { "Back to Hotline" } }
        },
    )
}

/// `GET /assets/hotline.css`.
pub async fn stylesheet() -> Response {
    let mut response = STYLESHEET.into_response();
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    headers.insert(
        CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    response
}
