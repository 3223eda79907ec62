//! Outbound webhooks over HTTP, received by a local receiver that checks
//! every signature as the Standard Webhooks specification defines it
//! (computed here independently of Hotline's signer).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use base64::Engine;
use base64::prelude::BASE64_STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{ADMIN_TOKEN, Backend, LEAD_PHONE, TestApp, spawn_app_on};

const HOT: &str = "Water pouring through the ceiling, can someone come today?";

/// One delivery as received.
#[derive(Debug, Clone)]
struct Received {
    id: String,
    timestamp: String,
    signature: String,
    body: String,
}

/// A receiver answering each delivery with the next scripted status (200
/// once the script is spent).
#[derive(Clone)]
struct Receiver {
    url: String,
    received: Arc<Mutex<Vec<Received>>>,
}

async fn receiver(statuses: Vec<u16>) -> Receiver {
    let received: Arc<Mutex<Vec<Received>>> = Arc::default();
    let script = Arc::new(Mutex::new(statuses));
    let log = received.clone();
    let app = Router::new().fallback(move |headers: HeaderMap, body: Bytes| {
        let log = log.clone();
        let script = script.clone();
        async move {
            let header = |name: &str| {
                headers
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_owned()
            };
            if let Ok(mut log) = log.lock() {
                log.push(Received {
                    id: header("webhook-id"),
                    timestamp: header("webhook-timestamp"),
                    signature: header("webhook-signature"),
                    body: String::from_utf8_lossy(&body).into_owned(),
                });
            }
            let status = script
                .lock()
                .ok()
                .and_then(|mut s| (!s.is_empty()).then(|| s.remove(0)))
                .unwrap_or(200);
            StatusCode::from_u16(status).unwrap_or(StatusCode::OK)
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let address = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Receiver {
        url: format!("http://{address}/hooks"),
        received,
    }
}

impl Receiver {
    fn all(&self) -> Vec<Received> {
        self.received.lock().map(|r| r.clone()).unwrap_or_default()
    }

    async fn wait_for(&self, count: usize) -> Vec<Received> {
        for _ in 0..100 {
            let all = self.all();
            if all.len() >= count {
                return all;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("fewer than {count} deliveries: {:?}", self.all());
    }
}

/// The signature the specification expects, computed here.
fn expected_signature(secret: &str, delivery: &Received) -> String {
    let key = BASE64_STANDARD
        .decode(secret.trim_start_matches("whsec_"))
        .unwrap_or_else(|e| panic!("{e}"));
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&key).unwrap_or_else(|e| panic!("{e}"));
    mac.update(format!("{}.{}.{}", delivery.id, delivery.timestamp, delivery.body).as_bytes());
    format!("v1,{}", BASE64_STANDARD.encode(mac.finalize().into_bytes()))
}

async fn subscribe(app: &TestApp, url: &str, events: Option<Vec<&str>>) -> Value {
    let client = app.first_id("clients").await;
    let mut body = json!({"url": url, "description": "CRM"});
    if let Some(events) = events {
        body["events"] = json!(events);
    }
    let (status, endpoint) = app
        .api(
            Method::POST,
            &format!("/api/clients/{client}/webhooks"),
            ADMIN_TOKEN,
            Some(body),
        )
        .await;
    assert_eq!(status, 201, "{endpoint}");
    endpoint
}

#[tokio::test]
async fn events_are_delivered_signed_and_listed_without_their_secret() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let app = spawn_app_on(backend, "2026-11-23T18:00:00-07:00", 2).await;
        let hooks = receiver(Vec::new()).await;
        let endpoint = subscribe(&app, &hooks.url, None).await;
        let secret = endpoint["secret"].as_str().unwrap_or_default().to_owned();
        assert!(secret.starts_with("whsec_"), "{endpoint}");
        let key = BASE64_STANDARD
            .decode(secret.trim_start_matches("whsec_"))
            .unwrap_or_default();
        assert!(key.len() >= 24);
        assert_eq!(endpoint["events"].as_array().map(Vec::len), Some(8));

        assert_eq!(app.sms("SM1", LEAD_PHONE, HOT).await.status(), 200);
        let deliveries = hooks.wait_for(2).await;
        let mut types = Vec::new();
        for delivery in &deliveries {
            assert_eq!(
                delivery.signature,
                expected_signature(&secret, delivery),
                "{backend:?}"
            );
            let body: Value = serde_json::from_str(&delivery.body).unwrap_or_default();
            assert_eq!(
                body["data"]["lead_id"].as_str().map(str::len),
                Some(36),
                "{body}"
            );
            assert!(body["data"]["client_id"].is_string(), "{body}");
            assert!(body["timestamp"].is_string(), "{body}");
            types.push(body["type"].as_str().unwrap_or_default().to_owned());
        }
        types.sort();
        assert_eq!(types, ["escalation.opened", "lead.hot"], "{backend:?}");

        let client = app.first_id("clients").await;
        let (_, listed) = app
            .api(
                Method::GET,
                &format!("/api/clients/{client}/webhooks"),
                ADMIN_TOKEN,
                None,
            )
            .await;
        assert!(listed[0].get("secret").is_none(), "{listed}");
        let id = endpoint["id"].as_str().unwrap_or_default();
        let (_, log) = app
            .api(
                Method::GET,
                &format!("/api/clients/{client}/webhooks/{id}/deliveries"),
                ADMIN_TOKEN,
                None,
            )
            .await;
        assert_eq!(log.as_array().map(Vec::len), Some(2), "{log}");
        assert!(
            log.as_array()
                .is_some_and(|l| l.iter().all(|a| a["status_code"] == 200))
        );
        let (status, _) = app
            .api(
                Method::DELETE,
                &format!("/api/clients/{client}/webhooks/{id}"),
                ADMIN_TOKEN,
                None,
            )
            .await;
        assert_eq!(status, 204);
    }
}

#[tokio::test]
async fn a_receiver_answering_500_gets_the_same_event_again_on_schedule() {
    let app = spawn_app_on(Backend::Sqlite, "2026-11-23T18:00:00-07:00", 1).await;
    let hooks = receiver(vec![500]).await;
    subscribe(&app, &hooks.url, Some(vec!["escalation.opened"])).await;
    assert_eq!(app.sms("SM1", LEAD_PHONE, HOT).await.status(), 200);
    let first = hooks.wait_for(1).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(hooks.all().len(), 1, "not before 5 s");
    let later: jiff::Timestamp = "2026-11-23T18:00:06-07:00"
        .parse()
        .unwrap_or_else(|e| panic!("{e}"));
    app.clock.set(later);
    let both = hooks.wait_for(2).await;
    assert_eq!(both[1].id, first[0].id, "the same webhook-id");
    assert_eq!(both[1].body, first[0].body);
}

#[tokio::test]
async fn endpoints_are_validated() {
    let app = spawn_app_on(Backend::Sqlite, "2026-11-23T18:00:00-07:00", 1).await;
    let client = app.first_id("clients").await;
    for (body, code) in [
        (json!({"url": "ftp://crm.example/hooks"}), "invalid_url"),
        (
            json!({"url": "https://crm.example/hooks", "events": ["lead.lost"]}),
            "unknown_event",
        ),
    ] {
        let (status, answer) = app
            .api(
                Method::POST,
                &format!("/api/clients/{client}/webhooks"),
                ADMIN_TOKEN,
                Some(body),
            )
            .await;
        assert_eq!(status, 422, "{answer}");
        assert_eq!(answer["error"]["code"], code, "{answer}");
    }
}
