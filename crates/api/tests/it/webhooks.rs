//! The seed's testing guide over HTTP: ring group within hours, escalation
//! outside, an agent answering and pressing 1; plus retries and signatures.

use crate::helpers::{Backend, CLIENT_NUMBER, LEAD_PHONE, attribute, spawn_app, spawn_app_on};

const HOT: &str = "Water pouring through the ceiling, can someone come today?";
const MONDAY_14: &str = "2026-11-23T14:00:00-07:00";

#[tokio::test]
async fn within_hours_a_hot_sms_rings_the_team_and_the_first_to_press_1_is_bridged() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        ring_accept_and_bridge(backend).await;
    }
}

async fn ring_accept_and_bridge(backend: Backend) {
    let app = spawn_app_on(backend, MONDAY_14, 2).await;
    let answer = app.sms("SM1", LEAD_PHONE, HOT).await;
    assert_eq!(answer.status(), 200);
    assert!(
        answer
            .headers()
            .get("content-type")
            .is_some_and(|v| v.to_str().unwrap_or("").starts_with("text/xml"))
    );
    assert!(
        answer
            .text()
            .await
            .unwrap_or_default()
            .ends_with("<Response/>")
    );

    let calls = app.twilio.wait_for("/Calls.json", 2).await;
    let mut called: Vec<&str> = calls.iter().filter_map(|c| c.get("To")).collect();
    called.sort_unstable();
    assert_eq!(
        called,
        [app.members[0].phone.as_str(), app.members[1].phone.as_str()]
    );
    assert!(calls.iter().all(|c| c.get("From") == Some(CLIENT_NUMBER)));
    assert_eq!(app.count("call_attempts").await, 2);

    // Act as Twilio: status callbacks, then the first leg answers and presses 1.
    for (n, call) in calls.iter().enumerate() {
        let status_url = call.get("StatusCallback").unwrap_or_default().to_owned();
        let sid = format!("CA{:032}", n + 1);
        let ringing = app
            .post_signed(
                &status_url,
                &[
                    ("CallSid", &sid),
                    ("CallStatus", "ringing"),
                    ("SequenceNumber", "1"),
                ],
            )
            .await;
        assert!(ringing.status().is_success());
    }
    let first = &calls[0];
    let first_sid = format!("CA{:032}", 1);
    let in_progress = app
        .post_signed(
            first.get("StatusCallback").unwrap_or_default(),
            &[
                ("CallSid", &first_sid),
                ("CallStatus", "in-progress"),
                ("SequenceNumber", "2"),
            ],
        )
        .await;
    assert!(in_progress.status().is_success());
    let answered = app
        .post_signed(
            first.get("Url").unwrap_or_default(),
            &[("CallSid", &first_sid), ("AnsweredBy", "human")],
        )
        .await;
    let gather = answered.text().await.unwrap_or_default();
    assert!(gather.contains("<Gather numDigits=\"1\""), "{gather}");
    let action = attribute(&gather, "action").unwrap_or_default();
    let bridged = app
        .post_signed(&action, &[("CallSid", &first_sid), ("Digits", "1")])
        .await;
    let dial = bridged.text().await.unwrap_or_default();
    assert!(
        dial.contains(&format!("<Number>{LEAD_PHONE}</Number>")),
        "{dial}"
    );
    assert_eq!(attribute(&dial, "callerId").as_deref(), Some(CLIENT_NUMBER));

    let updates = app
        .twilio
        .wait_for(&format!("/Calls/CA{:032}.json", 2), 1)
        .await;
    assert_eq!(updates[0].get("Status"), Some("canceled"));
    assert_eq!(
        app.count("call_attempts WHERE answered AND transferred_to_agent")
            .await,
        1
    );
}

#[tokio::test]
async fn outside_hours_the_team_is_texted_and_the_lead_told_when_it_opens() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        escalate_and_claim(backend).await;
    }
}

async fn escalate_and_claim(backend: Backend) {
    let app = spawn_app_on(backend, "2026-11-23T18:00:00-07:00", 2).await;
    let answer = app.sms("SM1", LEAD_PHONE, HOT).await;
    assert_eq!(answer.status(), 200);
    let body = answer.text().await.unwrap_or_default();
    assert!(
        body.contains("<Message>We&apos;re closed now and open Monday at 9:00 AM.</Message>"),
        "{body}"
    );
    let texts = app.twilio.wait_for("/Messages.json", 2).await;
    assert!(
        texts
            .iter()
            .all(|t| t.get("Body").is_some_and(|b| b.contains("CLAIM 0142")))
    );
    assert_eq!(app.count("escalations").await, 1);

    let member = app.members[1].phone.to_string();
    let claimed = app.sms("SM2", &member, "CLAIM 0142").await;
    assert!(
        claimed
            .text()
            .await
            .unwrap_or_default()
            .contains("is yours")
    );
    assert_eq!(
        app.count("escalations WHERE claimed_by IS NOT NULL").await,
        1
    );
    let told = app.twilio.wait_for("/Messages.json", 3).await;
    assert!(
        told.iter()
            .any(|t| t.get("Body").is_some_and(|b| b.contains("Agent 2 claimed"))),
        "{told:?}"
    );
}

#[tokio::test]
async fn the_same_sms_twice_is_processed_once() {
    let app = spawn_app_on(Backend::Postgres, MONDAY_14, 2).await;
    assert_eq!(app.sms("SM1", LEAD_PHONE, HOT).await.status(), 200);
    assert_eq!(app.sms("SM1", LEAD_PHONE, HOT).await.status(), 200);
    app.twilio.wait_for("/Calls.json", 2).await;
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(app.twilio.received().len(), 2);
    assert_eq!(app.count("messages").await, 1);
    assert_eq!(app.count("ring_groups").await, 1);
}

#[tokio::test]
async fn a_bad_signature_is_refused_and_nothing_is_stored() {
    let app = spawn_app(MONDAY_14, 1).await;
    let url = format!("{}/api/webhook/sms", app.base_url);
    let forged = app
        .http
        .post(&url)
        .header("X-Twilio-Signature", "bm90IGEgc2lnbmF0dXJl")
        .form(&[
            ("MessageSid", "SM1"),
            ("From", LEAD_PHONE),
            ("To", CLIENT_NUMBER),
            ("Body", HOT),
        ])
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(forged.status(), 403);
    let unsigned = app
        .http
        .post(&url)
        .form(&[("MessageSid", "SM1")])
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(unsigned.status(), 403);
    assert_eq!(app.count("messages").await, 0);
    assert_eq!(app.count("leads").await, 0);
}

#[tokio::test]
async fn a_malformed_form_is_a_400_naming_the_field() {
    let app = spawn_app(MONDAY_14, 1).await;
    let url = format!("{}/api/webhook/sms", app.base_url);
    let answer = app
        .post_signed(
            &url,
            &[
                ("MessageSid", "SM1"),
                ("From", "403-555-0142"),
                ("To", CLIENT_NUMBER),
                ("Body", "hi"),
            ],
        )
        .await;
    assert_eq!(answer.status(), 400);
    let body: serde_json::Value = answer.json().await.unwrap_or_default();
    assert_eq!(body["error"]["field"], "From");
    assert_eq!(body["error"]["code"], "invalid_form");
}

#[tokio::test]
async fn health_and_readiness() {
    let app = spawn_app(MONDAY_14, 0).await;
    let healthz = app
        .http
        .get(format!("{}/healthz", app.base_url))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(healthz.status(), 200);
    let readyz = app
        .http
        .get(format!("{}/readyz", app.base_url))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(readyz.status(), 200);
}

#[tokio::test]
async fn status_callbacks_out_of_order_only_move_a_leg_forward() {
    let app = spawn_app_on(Backend::Postgres, MONDAY_14, 1).await;
    app.sms("SM1", LEAD_PHONE, HOT).await;
    let calls = app.twilio.wait_for("/Calls.json", 1).await;
    let status_url = calls[0]
        .get("StatusCallback")
        .unwrap_or_default()
        .to_owned();
    let sid = format!("CA{:032}", 1);
    for (status, sequence) in [
        ("completed", "3"),
        ("ringing", "1"),
        ("in-progress", "2"),
        ("completed", "3"),
    ] {
        let answer = app
            .post_signed(
                &status_url,
                &[
                    ("CallSid", &sid),
                    ("CallStatus", status),
                    ("SequenceNumber", sequence),
                    ("CallDuration", "0"),
                ],
            )
            .await;
        assert!(answer.status().is_success(), "{status}");
    }
    assert_eq!(
        app.count("call_attempts WHERE leg_status = 'completed'")
            .await,
        1
    );
    // The only leg ended without an acceptance: one escalation, however often told.
    assert_eq!(app.count("escalations").await, 1);
}

#[tokio::test]
async fn a_lead_who_texts_stop_while_the_phones_ring_ends_the_ring_group_without_escalation() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let app = spawn_app_on(backend, MONDAY_14, 2).await;
        assert_eq!(app.sms("SM1", LEAD_PHONE, HOT).await.status(), 200);
        app.twilio.wait_for("/Calls.json", 2).await;
        assert_eq!(app.sms("SM2", LEAD_PHONE, "STOP").await.status(), 200);
        // Both legs are cancelled through the REST API, nobody is texted,
        // no escalation is opened, and the group has ended.
        for n in 1..=2 {
            let updates = app
                .twilio
                .wait_for(&format!("/Calls/CA{n:032}.json"), 1)
                .await;
            assert_eq!(updates[0].get("Status"), Some("canceled"), "{backend:?}");
        }
        assert_eq!(app.count("escalations").await, 0, "{backend:?}");
        assert_eq!(app.count("ring_groups WHERE status = 'exhausted'").await, 1);
        assert_eq!(app.count("active_ring_groups").await, 0, "{backend:?}");
        let texts = app
            .twilio
            .received()
            .into_iter()
            .filter(|r| r.path.ends_with("/Messages.json"))
            .count();
        assert_eq!(texts, 0, "{backend:?}");
    }
}
