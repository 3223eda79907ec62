//! Leads, call attempts, escalations, stats and metrics over HTTP.

use serde_json::Value;

use crate::helpers::{ADMIN_TOKEN, LEAD_PHONE, TestApp, spawn_app};

async fn get(app: &TestApp, path: &str, token: Option<&str>) -> (u16, Value) {
    let mut request = app.http.get(format!("{}{path}", app.base_url));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap_or_else(|e| panic!("{e}"));
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_lead_shows_its_messages_decisions_attempts_and_stats_count_them() {
    let app = spawn_app("2026-11-23T14:00:00-07:00", 2).await;
    app.sms(
        "SM1",
        LEAD_PHONE,
        "Water pouring through the ceiling, can someone come today?",
    )
    .await;
    app.twilio.wait_for("/Calls.json", 2).await;
    let client = app.first_id("clients").await;

    let (status, leads) = get(
        &app,
        &format!("/api/clients/{client}/leads"),
        Some(ADMIN_TOKEN),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(leads[0]["phone"], LEAD_PHONE);
    assert_eq!(leads[0]["status"], "ringing");
    let lead = leads[0]["id"].as_str().unwrap_or_default().to_owned();

    let (status, detail) = get(
        &app,
        &format!("/api/clients/{client}/leads/{lead}"),
        Some(ADMIN_TOKEN),
    )
    .await;
    assert_eq!(status, 200, "{detail}");
    assert_eq!(detail["messages"][0]["message_sid"], "SM1");
    assert_eq!(detail["messages"][0]["hot"], true);
    assert_eq!(detail["routing_decisions"][0]["outcome"], "ring_group");
    assert_eq!(detail["routing_decisions"][0]["open"], true);
    assert_eq!(detail["call_attempts"].as_array().map(Vec::len), Some(2));

    let (status, attempts) = get(
        &app,
        &format!("/api/clients/{client}/call-attempts?limit=1"),
        Some(ADMIN_TOKEN),
    )
    .await;
    assert_eq!((status, attempts.as_array().map(Vec::len)), (200, Some(1)));
    let (status, escalations) = get(
        &app,
        &format!("/api/clients/{client}/escalations"),
        Some(ADMIN_TOKEN),
    )
    .await;
    assert_eq!(
        (status, escalations.as_array().map(Vec::len)),
        (200, Some(0))
    );

    let (status, stats) = get(
        &app,
        &format!("/api/clients/{client}/stats?from=2026-11-23&to=2026-11-23"),
        Some(ADMIN_TOKEN),
    )
    .await;
    assert_eq!(status, 200, "{stats}");
    assert_eq!(stats["ring_groups"], 1);
    assert_eq!(stats["hot_leads"], 1);
    assert_eq!(stats["after_hours_hot_leads"], 0);
    assert_eq!(stats["answered"], 0);
    let (status, empty) = get(
        &app,
        &format!("/api/clients/{client}/stats?from=2026-11-24&to=2026-11-24"),
        Some(ADMIN_TOKEN),
    )
    .await;
    assert_eq!(
        (status, empty["ring_groups"].clone()),
        (200, Value::from(0))
    );
    let (status, bad) = get(
        &app,
        &format!("/api/clients/{client}/stats?from=yesterday"),
        Some(ADMIN_TOKEN),
    )
    .await;
    assert_eq!(
        (status, bad["error"]["field"].clone()),
        (400, Value::from("from"))
    );
    assert_eq!(
        get(&app, &format!("/api/clients/{client}/leads"), None)
            .await
            .0,
        401
    );
}

#[tokio::test]
async fn metrics_count_webhooks_and_responses() {
    let app = spawn_app("2026-11-23T14:00:00-07:00", 1).await;
    app.sms("SM1", LEAD_PHONE, "ok thanks").await;
    let forged = app
        .http
        .post(format!("{}/api/webhook/sms", app.base_url))
        .form(&[("MessageSid", "SM2")])
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(forged.status(), 403);
    let response = app
        .http
        .get(format!("{}/metrics", app.base_url))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(response.headers().contains_key("x-request-id"));
    let text = response.text().await.unwrap_or_default();
    assert!(text.contains("hotline_sms_received_total 1"), "{text}");
    assert!(
        text.contains("hotline_webhook_bad_signatures_total 1"),
        "{text}"
    );
    assert!(
        text.contains("hotline_http_responses_total{class=\"4xx\"} 1"),
        "{text}"
    );
}

#[tokio::test]
async fn the_openapi_description_lists_the_admin_api() {
    let app = spawn_app("2026-11-23T14:00:00-07:00", 0).await;
    let (status, doc) = get(&app, "/api/openapi.json", None).await;
    assert_eq!(status, 200);
    assert!(
        doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")),
        "{doc}"
    );
    let paths = doc["paths"].as_object().cloned().unwrap_or_default();
    for (path, method) in [
        ("/api/clients", "post"),
        ("/api/clients/{id}", "patch"),
        ("/api/clients/{id}/team-members", "post"),
        ("/api/clients/{id}/business-hours", "put"),
        ("/api/clients/{id}/leads/{lead_id}", "get"),
        ("/api/clients/{id}/call-attempts", "get"),
        ("/api/clients/{id}/stats", "get"),
        ("/api/escalations/{id}/claim", "post"),
        ("/api/admins", "post"),
    ] {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path} missing"
        );
    }
    assert!(
        doc["components"]["securitySchemes"]["bearer"].is_object(),
        "{}",
        doc["components"]
    );
    assert!(doc["components"]["schemas"]["ClientView"].is_object());
}
