//! Intent feedback over HTTP: an admin's verdict on a scored message is
//! stored, replaced by a later one, listed (JSON and TSV), shown on the
//! lead, and refused for messages the caller may not see; on both backends.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{ADMIN_TOKEN, Backend, LEAD_PHONE, TestApp, spawn_app_on};

const MONDAY_10: &str = "2026-11-23T10:00:00-07:00";

async fn lead_and_message(app: &TestApp, client: &str) -> (String, String, String) {
    let (status, leads) = app
        .api(
            Method::GET,
            &format!("/api/clients/{client}/leads"),
            ADMIN_TOKEN,
            None,
        )
        .await;
    assert_eq!(status, 200, "{leads}");
    let lead = leads[0]["id"].as_str().unwrap_or_default().to_owned();
    let (status, detail) = app
        .api(
            Method::GET,
            &format!("/api/clients/{client}/leads/{lead}"),
            ADMIN_TOKEN,
            None,
        )
        .await;
    assert_eq!(status, 200, "{detail}");
    let message = &detail["messages"][0];
    assert_eq!(message["label"], Value::Null, "{detail}");
    (
        lead,
        message["id"].as_str().unwrap_or_default().to_owned(),
        message["message_sid"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    )
}

async fn verdicts_are_stored_replaced_listed_and_scoped(backend: Backend) {
    let app = spawn_app_on(backend, MONDAY_10, 1).await;
    let client = app.first_id("clients").await;
    assert_eq!(
        app.sms("SMfb1", LEAD_PHONE, "how much for gutters next year?")
            .await
            .status(),
        200
    );
    let (lead, message_id, sid) = lead_and_message(&app, &client).await;
    let label_path =
        |message: &str| format!("/api/clients/{client}/leads/{lead}/messages/{message}/label");

    // An admin says it was hot, then changes their mind (by MessageSid):
    // the later verdict replaces the first.
    let (status, body) = app
        .api(
            Method::POST,
            &label_path(&message_id),
            ADMIN_TOKEN,
            Some(json!({"hot": true})),
        )
        .await;
    assert_eq!(status, 204, "{body}");
    let (status, body) = app
        .api(
            Method::POST,
            &label_path(&sid),
            ADMIN_TOKEN,
            Some(json!({"hot": false})),
        )
        .await;
    assert_eq!(status, 204, "{body}");
    assert_eq!(app.count("intent_labels").await, 1);

    let (status, labels) = app
        .api(
            Method::GET,
            &format!("/api/clients/{client}/intent/labels"),
            ADMIN_TOKEN,
            None,
        )
        .await;
    assert_eq!(status, 200, "{labels}");
    assert_eq!(labels.as_array().map(Vec::len), Some(1), "{labels}");
    assert_eq!(labels[0]["text"], "how much for gutters next year?");
    assert_eq!(labels[0]["hot"], false);
    assert_eq!(labels[0]["scored_hot"], false);
    assert_eq!(labels[0]["message_id"], Value::from(message_id.clone()));
    assert!(
        labels[0]["score"]
            .as_f64()
            .is_some_and(|s| (0.0..=1.0).contains(&s)),
        "{labels}"
    );

    let (_, detail) = app
        .api(
            Method::GET,
            &format!("/api/clients/{client}/leads/{lead}"),
            ADMIN_TOKEN,
            None,
        )
        .await;
    assert_eq!(detail["messages"][0]["label"], false, "{detail}");

    // The TSV export is the corpus's format, ready for `--extra`.
    let tsv = app
        .http
        .get(format!(
            "{}/api/clients/{client}/intent/labels?format=tsv",
            app.base_url
        ))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(tsv.status(), 200);
    assert!(
        tsv.headers()["content-type"]
            .to_str()
            .is_ok_and(|t| t.starts_with("text/tab-separated-values")),
        "{:?}",
        tsv.headers()
    );
    let text = tsv.text().await.unwrap_or_default();
    assert_eq!(
        text,
        "label\ttrade\tlang\tkind\ttext\nnot\t\t\tadmin_label\thow much for gutters next year?\n"
    );

    // Unknown message, bad body, bad format.
    let (status, body) = app
        .api(
            Method::POST,
            &label_path("SMnope"),
            ADMIN_TOKEN,
            Some(json!({"hot": true})),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].clone()),
        (404, json!("not_found")),
        "{body}"
    );
    let (status, body) = app
        .api(
            Method::POST,
            &label_path(&sid),
            ADMIN_TOKEN,
            Some(json!({"hot": "yes"})),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    let (status, body) = app
        .api(
            Method::GET,
            &format!("/api/clients/{client}/intent/labels?format=xml"),
            ADMIN_TOKEN,
            None,
        )
        .await;
    assert_eq!(
        (status, body["error"]["field"].clone()),
        (400, json!("format")),
        "{body}"
    );

    // An admin of another client can neither label nor list this one's.
    let (status, other) = app
        .api(
            Method::POST,
            "/api/clients",
            ADMIN_TOKEN,
            Some(json!({"name": "Other", "twilio_number": "+15875550999", "timezone": "America/Edmonton"})),
        )
        .await;
    assert_eq!(status, 201, "{other}");
    let other_id = other["id"].as_str().unwrap_or_default();
    let (status, admin) = app
        .api(
            Method::POST,
            "/api/admins",
            ADMIN_TOKEN,
            Some(json!({"email": "other@example.com", "client_ids": [other_id]})),
        )
        .await;
    assert_eq!(status, 201, "{admin}");
    let token = admin["token"].as_str().unwrap_or_default();
    let (status, _) = app
        .api(
            Method::POST,
            &label_path(&sid),
            token,
            Some(json!({"hot": true})),
        )
        .await;
    assert_eq!(status, 403);
    // Through their own client's path, the message is not theirs: 404.
    let (status, _) = app
        .api(
            Method::POST,
            &format!("/api/clients/{other_id}/leads/{lead}/messages/{sid}/label"),
            token,
            Some(json!({"hot": true})),
        )
        .await;
    assert_eq!(status, 404);
    let (status, _) = app
        .api(
            Method::GET,
            &format!("/api/clients/{client}/intent/labels"),
            token,
            None,
        )
        .await;
    assert_eq!(status, 403);
    let (_, labels) = app
        .api(
            Method::GET,
            &format!("/api/clients/{client}/intent/labels"),
            ADMIN_TOKEN,
            None,
        )
        .await;
    assert_eq!(labels[0]["hot"], false, "unchanged: {labels}");
}

#[tokio::test]
async fn verdicts_are_stored_replaced_listed_and_scoped_on_sqlite() {
    verdicts_are_stored_replaced_listed_and_scoped(Backend::Sqlite).await;
}

#[tokio::test]
async fn verdicts_are_stored_replaced_listed_and_scoped_on_postgres() {
    verdicts_are_stored_replaced_listed_and_scoped(Backend::Postgres).await;
}
