//! Following a lead through over HTTP: the client's settings in the admin
//! API, the acknowledgement in the SMS webhook's TwiML, the reminder at its
//! time.

use reqwest::Method;
use serde_json::json;

use crate::helpers::{ADMIN_TOKEN, Backend, LEAD_PHONE, spawn_app_on};

const HOT: &str = "Water pouring through the ceiling, can someone come today?";

#[tokio::test]
async fn settings_validated_the_lead_acknowledged_and_the_team_reminded() {
    let app = spawn_app_on(Backend::Sqlite, "2026-11-23T14:00:00-07:00", 2).await;
    let client = app.first_id("clients").await;
    let path = format!("/api/clients/{client}");
    for (patch, field) in [
        (
            json!({"escalation_reminder_seconds": 0}),
            "escalation_reminder_seconds",
        ),
        (
            json!({"escalation_manager_phone": "call me"}),
            "escalation_manager_phone",
        ),
        (json!({"lead_ack_reply": " "}), "lead_ack_reply"),
    ] {
        let (status, body) = app
            .api(Method::PATCH, &path, ADMIN_TOKEN, Some(patch))
            .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["error"]["field"], field, "{body}");
    }
    let (status, body) = app
        .api(
            Method::PATCH,
            &path,
            ADMIN_TOKEN,
            Some(json!({
                "lead_ack_reply": "Thanks, we're calling you right now.",
                "lead_missed_text": "Sorry we missed you.",
                "escalation_reminder_seconds": 300,
                "escalation_manager_phone": "+17805550999",
                "escalation_manager_after_seconds": 900
            })),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["escalation_manager_phone"], "+17805550999");
    let (_, body) = app
        .api(
            Method::PATCH,
            &path,
            ADMIN_TOKEN,
            Some(json!({"lead_missed_text": null})),
        )
        .await;
    assert_eq!(
        body["lead_missed_text"],
        serde_json::Value::Null,
        "null turns it off"
    );
    assert_eq!(
        body["escalation_reminder_seconds"], 300,
        "the rest unchanged"
    );

    let answer = app
        .sms("SM1", LEAD_PHONE, HOT)
        .await
        .text()
        .await
        .unwrap_or_default();
    assert!(
        answer.contains("<Message>Thanks, we&apos;re calling you right now.</Message>"),
        "{answer}"
    );
}

#[tokio::test]
async fn an_unclaimed_escalation_is_reminded_at_its_time() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let app = spawn_app_on(backend, "2026-11-23T18:00:00-07:00", 2).await;
        let client = app.first_id("clients").await;
        let (status, _) = app
            .api(
                Method::PATCH,
                &format!("/api/clients/{client}"),
                ADMIN_TOKEN,
                Some(json!({"escalation_reminder_seconds": 300})),
            )
            .await;
        assert_eq!(status, 200);
        assert_eq!(app.sms("SM1", LEAD_PHONE, HOT).await.status(), 200);
        app.twilio.wait_for("/Messages.json", 2).await;
        let later: jiff::Timestamp = "2026-11-23T18:05:00-07:00"
            .parse()
            .unwrap_or_else(|e| panic!("{e}"));
        app.clock.set(later);
        let texts = app.twilio.wait_for("/Messages.json", 4).await;
        assert_eq!(texts.len(), 4, "{backend:?}");
        assert!(
            texts[2..]
                .iter()
                .all(|t| t.get("Body").is_some_and(|b| b.contains("waited 5 min"))),
            "{backend:?}"
        );
        assert_eq!(
            app.count("escalation_texts WHERE purpose = 'reminder' AND state = 'sent'")
                .await,
            2
        );
    }
}
