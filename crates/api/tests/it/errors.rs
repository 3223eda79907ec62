//! The error contract over HTTP (CONTRACT.md sections 4 and 11): every
//! answer under `/api/` that is not 2xx carries the JSON error body, no
//! error carries a driver's text, control characters never reach storage
//! from Twilio and are refused from admins, `Bearer` in any case.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{
    ADMIN_TOKEN, Backend, CLIENT_NUMBER, LEAD_PHONE, TestApp, spawn_app, spawn_app_on,
};

const MONDAY_18: &str = "2026-11-23T18:00:00-07:00";

/// Status, and the body as JSON (null when it is not JSON).
async fn raw(app: &TestApp, method: Method, path: &str, body: Option<&str>) -> (u16, Value) {
    let mut request = app
        .http
        .request(method, format!("{}{path}", app.base_url))
        .bearer_auth(ADMIN_TOKEN);
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_owned());
    }
    let response = request.send().await.unwrap_or_else(|e| panic!("{e}"));
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn assert_error_body(status: u16, body: &Value, code: &str, field: Option<&str>) {
    assert_eq!(body["error"]["code"], code, "{status}: {body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    assert_eq!(
        body["error"]["field"],
        field.map_or(Value::Null, Value::from),
        "{body}"
    );
}

#[tokio::test]
async fn routing_and_parsing_errors_under_api_are_json_naming_the_parameter() {
    let app = spawn_app(MONDAY_18, 0).await;
    let client = app.first_id("clients").await;

    let (status, body) = raw(&app, Method::GET, "/api/no-such-route", None).await;
    assert_eq!(status, 404);
    assert_error_body(status, &body, "not_found", None);

    let (status, body) = raw(&app, Method::DELETE, "/api/clients", None).await;
    assert_eq!(status, 405);
    assert_error_body(status, &body, "method_not_allowed", None);

    let huge = format!("{{\"name\": \"{}\"}}", "x".repeat(200 * 1024));
    let (status, body) = raw(&app, Method::POST, "/api/clients", Some(&huge)).await;
    assert_eq!(status, 413);
    assert_error_body(status, &body, "payload_too_large", None);

    for query in ["limit=-1", "limit=1&limit=2", "limit=many"] {
        let path = format!("/api/clients/{client}/leads?{query}");
        let (status, body) = raw(&app, Method::GET, &path, None).await;
        assert_eq!(status, 400, "{query}: {body}");
        assert_error_body(status, &body, "invalid_query", Some("limit"));
    }

    let (status, body) = raw(&app, Method::GET, "/api/clients/%FF", None).await;
    assert_eq!(status, 400, "{body}");
    assert_error_body(status, &body, "invalid_path", Some("id"));

    let path = format!("/api/clients/{client}/stats?from=yesterday");
    let (status, body) = raw(&app, Method::GET, &path, None).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["field"], "from");
}

#[tokio::test]
async fn the_bearer_scheme_is_matched_in_any_case() {
    let app = spawn_app(MONDAY_18, 0).await;
    for scheme in ["Bearer", "bearer", "BEARER"] {
        let response = app
            .http
            .get(format!("{}/api/clients", app.base_url))
            .header("authorization", format!("{scheme} {ADMIN_TOKEN}"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(response.status(), 200, "{scheme}");
    }
    let response = app
        .http
        .get(format!("{}/api/clients", app.base_url))
        .header("authorization", format!("Basic {ADMIN_TOKEN}"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(response.status(), 401);
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert_eq!(body["error"]["code"], "unauthorized");
}

async fn conflicts_and_control_characters(backend: Backend) {
    let app = spawn_app_on(backend, MONDAY_18, 0).await;
    let client = app.first_id("clients").await;

    // A Twilio number another client has: 409 naming the field, no driver text.
    let (status, body) = app
        .api(
            Method::POST,
            "/api/clients",
            ADMIN_TOKEN,
            Some(json!({"name": "Copycat", "twilio_number": CLIENT_NUMBER, "timezone": "America/Edmonton"})),
        )
        .await;
    assert_eq!(status, 409, "{body}");
    assert_error_body(status, &body, "conflict", Some("twilio_number"));
    let text = body.to_string().to_lowercase();
    for driver_word in [
        "duplicate key",
        "constraint",
        "unique",
        "sqlite",
        "violates",
    ] {
        assert!(!text.contains(driver_word), "{driver_word} in {body}");
    }

    // The same through PATCH of another client.
    let (_, other) = app
        .api(
            Method::POST,
            "/api/clients",
            ADMIN_TOKEN,
            Some(json!({"name": "Other", "twilio_number": "+15875550777"})),
        )
        .await;
    let other = other["id"].as_str().unwrap_or_default().to_owned();
    let (status, body) = app
        .api(
            Method::PATCH,
            &format!("/api/clients/{other}"),
            ADMIN_TOKEN,
            Some(json!({"twilio_number": CLIENT_NUMBER})),
        )
        .await;
    assert_eq!(status, 409, "{body}");
    assert_error_body(status, &body, "conflict", Some("twilio_number"));

    // A member's phone taken in the client, and the client's own number.
    let members = format!("/api/clients/{client}/team-members");
    let (status, _) = app
        .api(
            Method::POST,
            &members,
            ADMIN_TOKEN,
            Some(json!({"name": "Ann", "phone": "+17805550001"})),
        )
        .await;
    assert_eq!(status, 201);
    let (status, body) = app
        .api(
            Method::POST,
            &members,
            ADMIN_TOKEN,
            Some(json!({"name": "Bob", "phone": "+17805550001"})),
        )
        .await;
    assert_eq!(status, 409, "{body}");
    assert_error_body(status, &body, "conflict", Some("phone"));
    let (status, body) = app
        .api(
            Method::POST,
            &members,
            ADMIN_TOKEN,
            Some(json!({"name": "Cy", "phone": CLIENT_NUMBER})),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert_error_body(status, &body, "phone_is_client_number", Some("phone"));

    // Control characters in admin input: 422 naming the field, nothing stored.
    let (status, body) = app
        .api(
            Method::POST,
            &members,
            ADMIN_TOKEN,
            Some(json!({"name": "Nul\u{0}Name", "phone": "+17805550002"})),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert_error_body(status, &body, "control_characters", Some("name"));
    let hours = format!("/api/clients/{client}/business-hours");
    let (status, body) = app
        .api(
            Method::PUT,
            &hours,
            ADMIN_TOKEN,
            Some(json!({"timezone": "America/Edmonton", "hours": [], "closures": [{"date": "2026-12-25", "reason": "Christmas\u{1b}[31m"}]})),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert_error_body(
        status,
        &body,
        "control_characters",
        Some("closures[0].reason"),
    );
    let (_, team) = app.api(Method::GET, &members, ADMIN_TOKEN, None).await;
    assert_eq!(team.as_array().map(Vec::len), Some(1), "{team}");

    // An SMS with NUL and escape characters is stored without them: 200,
    // never a 5xx that Twilio would retry for ever.
    let response = app
        .sms(
            "SMnul1",
            LEAD_PHONE,
            "pipe burst\u{0}, water\u{1b} everywhere\nplease come",
        )
        .await;
    assert_eq!(response.status(), 200);
    let (_, leads) = app
        .api(
            Method::GET,
            &format!("/api/clients/{client}/leads"),
            ADMIN_TOKEN,
            None,
        )
        .await;
    let lead = leads[0]["id"].as_str().unwrap_or_default();
    let (_, detail) = app
        .api(
            Method::GET,
            &format!("/api/clients/{client}/leads/{lead}"),
            ADMIN_TOKEN,
            None,
        )
        .await;
    assert_eq!(
        detail["messages"][0]["body"], "pipe burst, water everywhere\nplease come",
        "{detail}"
    );
}

#[tokio::test]
async fn conflicts_and_control_characters_on_sqlite() {
    conflicts_and_control_characters(Backend::Sqlite).await;
}

#[tokio::test]
async fn conflicts_and_control_characters_on_postgres() {
    conflicts_and_control_characters(Backend::Postgres).await;
}
