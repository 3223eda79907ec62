//! The OpenAPI description of the admin API, generated from the handlers'
//! annotations and served at `/api/openapi.json`.

use axum::Json;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::{admin, admins, error, feedback, outbound, reports};

/// The admin API's OpenAPI document.
#[derive(OpenApi)]
#[openapi(
    info(title = "Hotline admin API", description = "Clients, teams, business hours, leads, calls, escalations and stats."),
    paths(
        admin::create_client, admin::list_clients, admin::get_client, admin::patch_client,
        admin::create_member, admin::list_members, admin::patch_member, admin::delete_member,
        admin::get_hours, admin::put_hours, admin::preview_hours, admin::claim, admin::appointment, admins::create_admin, admins::list_admins, admins::revoke_admin,
        admin::ring_plan, outbound::create, outbound::list, outbound::delete, outbound::deliveries,
        reports::leads, reports::lead, reports::call_attempts, reports::escalations, reports::stats,
        feedback::label, feedback::labels,
    ),
    components(schemas(
        admin::ClientView, admin::MemberView, admin::NewClient, admin::ClientPatch, admin::NewMember,
        admin::MemberPatch, admin::ClaimBody, admins::NewAdmin, outbound::EndpointView, outbound::NewEndpoint, error::ErrorBody, error::ErrorDetail,
    )),
    modifiers(&BearerToken)
)]
pub struct ApiDoc;

/// Declares the bearer-token scheme the paths refer to.
struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "bearer",
                SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
            );
        }
    }
}

/// `GET /api/openapi.json`.
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
