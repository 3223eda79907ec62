//! Ring strategies over HTTP, acting as Twilio does (following the `Url`,
//! `action` and `statusCallback` values given, signing every request), on
//! SQLite and PostgreSQL; the strategy, priority and availability fields
//! of the admin API; the ring plan.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{
    ADMIN_TOKEN, Backend, CLIENT_NUMBER, LEAD_PHONE, TestApp, attribute, spawn_app_on,
};

const HOT: &str = "Water pouring through the ceiling, can someone come today?";
const MONDAY_14: &str = "2026-11-23T14:00:00-07:00";

async fn admin(app: &TestApp, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
    app.api(method, path, ADMIN_TOKEN, body).await
}

async fn set_strategy(app: &TestApp, strategy: &str) -> String {
    let client = app.first_id("clients").await;
    let (status, body) = admin(
        app,
        Method::PATCH,
        &format!("/api/clients/{client}"),
        Some(json!({"ring_strategy": strategy})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["ring_strategy"], strategy);
    client
}

#[tokio::test]
async fn strategy_priority_and_availability_through_the_admin_api_and_the_ring_plan() {
    let app = spawn_app_on(Backend::Sqlite, MONDAY_14, 3).await;
    let client = app.first_id("clients").await;
    let (_, shown) = admin(&app, Method::GET, &format!("/api/clients/{client}"), None).await;
    assert_eq!(
        (&shown["ring_strategy"], &shown["tier_delay_seconds"]),
        (&json!("simultaneous"), &json!(15))
    );
    for (patch, field) in [
        (json!({"ring_strategy": "loudest"}), "ring_strategy"),
        (json!({"tier_delay_seconds": 601}), "tier_delay_seconds"),
    ] {
        let (status, body) = admin(
            &app,
            Method::PATCH,
            &format!("/api/clients/{client}"),
            Some(patch),
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["error"]["field"], field, "{body}");
    }
    let (status, body) = admin(
        &app,
        Method::PATCH,
        &format!("/api/clients/{client}"),
        Some(json!({"ring_strategy": "tiered", "tier_delay_seconds": 20})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["tier_delay_seconds"], 20);

    let members: Vec<String> = app.members.iter().map(|m| m.id.to_string()).collect();
    let member_path = |n: usize| format!("/api/clients/{client}/team-members/{}", members[n]);
    let (status, body) = admin(
        &app,
        Method::PATCH,
        &member_path(0),
        Some(json!({"priority": 0})),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["field"], "priority");
    let (status, body) = admin(
        &app,
        Method::PATCH,
        &member_path(2),
        Some(json!({"priority": 5})),
    )
    .await;
    assert_eq!((status, &body["priority"]), (200, &json!(5)), "{body}");
    let (status, body) = admin(
        &app,
        Method::PATCH,
        &member_path(1),
        Some(json!({"available": false})),
    )
    .await;
    assert_eq!((status, &body["available"]), (200, &json!(false)), "{body}");

    let (status, plan) = admin(
        &app,
        Method::GET,
        &format!("/api/clients/{client}/ring-plan"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{plan}");
    assert_eq!(plan["strategy"], "tiered");
    let legs: Vec<(String, u64)> = plan["legs"]
        .as_array()
        .map(|legs| {
            legs.iter()
                .map(|l| {
                    (
                        l["team_member_id"].as_str().unwrap_or_default().to_owned(),
                        l["tier"].as_u64().unwrap_or_default(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        legs,
        [(members[2].clone(), 1), (members[0].clone(), 2)],
        "by priority, the member off duty left out: {plan}"
    );
    assert_eq!(plan["legs"][1]["starts_after_seconds"], 20.0, "{plan}");
}

#[tokio::test]
async fn a_member_texts_away_and_back() {
    let app = spawn_app_on(Backend::Sqlite, MONDAY_14, 2).await;
    let member = app.members[0].phone.to_string();
    let away = app
        .sms("SM1", &member, "Away")
        .await
        .text()
        .await
        .unwrap_or_default();
    assert!(away.contains("off duty"), "{away}");
    let client = app.first_id("clients").await;
    let (_, team) = admin(
        &app,
        Method::GET,
        &format!("/api/clients/{client}/team-members"),
        None,
    )
    .await;
    assert_eq!(team[0]["available"], false, "{team}");
    assert_eq!(app.sms("SM2", LEAD_PHONE, HOT).await.status(), 200);
    let calls = app.twilio.wait_for("/Calls.json", 1).await;
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].get("To"), Some(app.members[1].phone.as_str()));
    let back = app
        .sms("SM3", &member, "on")
        .await
        .text()
        .await
        .unwrap_or_default();
    assert!(back.contains("back on duty"), "{back}");
}

#[tokio::test]
async fn sequential_places_the_next_phone_when_one_ends() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let app = spawn_app_on(backend, MONDAY_14, 2).await;
        set_strategy(&app, "sequential").await;
        assert_eq!(app.sms("SM1", LEAD_PHONE, HOT).await.status(), 200);
        let first = app.twilio.wait_for("/Calls.json", 1).await;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert_eq!(app.twilio.count("/Calls.json"), 1, "one at a time");
        let status_url = first[0]
            .get("StatusCallback")
            .unwrap_or_default()
            .to_owned();
        let ended = app
            .post_signed(
                &status_url,
                &[
                    ("CallSid", "CA00000000000000000000000000000001"),
                    ("CallStatus", "no-answer"),
                    ("SequenceNumber", "3"),
                ],
            )
            .await;
        assert!(ended.status().is_success());
        let calls = app.twilio.wait_for("/Calls.json", 2).await;
        assert_eq!(calls.len(), 2);
        assert_ne!(calls[0].get("To"), calls[1].get("To"), "{backend:?}");
    }
}

#[tokio::test]
async fn lead_first_calls_the_lead_and_bridges_the_member_who_presses_1() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let app = spawn_app_on(backend, MONDAY_14, 3).await;
        set_strategy(&app, "lead_first").await;
        assert_eq!(app.sms("SM1", LEAD_PHONE, HOT).await.status(), 200);
        let calls = app.twilio.wait_for("/Calls.json", 1).await;
        let lead_call = &calls[0];
        assert_eq!(lead_call.get("To"), Some(LEAD_PHONE));
        assert_eq!(lead_call.get("From"), Some(CLIENT_NUMBER));
        assert_eq!(lead_call.get("MachineDetection"), Some("Enable"));
        // The lead answers: a short line, then one <Dial> ringing everyone.
        let answer_url = lead_call.get("Url").unwrap_or_default().to_owned();
        let twiml = app
            .post_signed(
                &answer_url,
                &[
                    ("CallSid", "CA0000000000000000000000000000lead"),
                    ("AnsweredBy", "human"),
                ],
            )
            .await
            .text()
            .await
            .unwrap_or_default();
        assert!(twiml.contains("<Say>"), "{twiml}");
        assert_eq!(twiml.matches("<Number ").count(), 3, "{twiml}");
        assert_eq!(
            attribute(&twiml, "callerId").as_deref(),
            Some(CLIENT_NUMBER)
        );
        assert_eq!(
            app.twilio.count("/Calls.json"),
            1,
            "no REST call per member"
        );
        // Twilio runs the first <Number>'s whisper; its agent presses 1.
        let number_url = attribute(&twiml, "url").unwrap_or_default();
        let status_url = attribute(&twiml, "statusCallback").unwrap_or_default();
        let leg_sid = "CA000000000000000000000000000leg1";
        let ringing = app
            .post_signed(
                &status_url,
                &[
                    ("CallSid", leg_sid),
                    ("CallStatus", "in-progress"),
                    ("SequenceNumber", "2"),
                ],
            )
            .await;
        assert!(ringing.status().is_success());
        let whisper = app
            .post_signed(&number_url, &[("CallSid", leg_sid)])
            .await
            .text()
            .await
            .unwrap_or_default();
        assert!(whisper.contains("<Gather numDigits=\"1\""), "{whisper}");
        let action = attribute(&whisper, "action").unwrap_or_default();
        let accepted = app
            .post_signed(&action, &[("CallSid", leg_sid), ("Digits", "1")])
            .await
            .text()
            .await
            .unwrap_or_default();
        assert!(
            accepted.ends_with("<Response></Response>") || accepted.ends_with("<Response/>"),
            "{accepted}"
        );
        assert_eq!(
            app.count("ring_groups WHERE status = 'answered'").await,
            1,
            "{backend:?}"
        );
        assert_eq!(
            app.count(&format!(
                "call_attempts WHERE transferred_to_agent AND call_sid = '{leg_sid}'"
            ))
            .await,
            1
        );
        let dial_action = attribute(&twiml, "action").unwrap_or_default();
        let done = app
            .post_signed(
                &dial_action,
                &[
                    ("CallSid", "CA0000000000000000000000000000lead"),
                    ("DialCallStatus", "completed"),
                ],
            )
            .await
            .text()
            .await
            .unwrap_or_default();
        assert!(done.contains("<Hangup/>"), "{done}");
        assert_eq!(app.count("escalations").await, 0);
    }
}

/// Signed status callback for a leg.
async fn leg_status(app: &TestApp, status_url: &str, sid: &str, status: &str, sequence: &str) {
    let answer = app
        .post_signed(
            status_url,
            &[
                ("CallSid", sid),
                ("CallStatus", status),
                ("SequenceNumber", sequence),
            ],
        )
        .await;
    assert!(answer.status().is_success(), "{}", answer.status());
}

#[tokio::test]
async fn races_on_postgresql_two_tiers_pressing_1_at_once_and_a_leg_ending_twice_at_once() {
    let app = spawn_app_on(Backend::Postgres, MONDAY_14, 2).await;
    let client = set_strategy(&app, "tiered").await;
    let members: Vec<String> = app.members.iter().map(|m| m.id.to_string()).collect();
    admin(
        &app,
        Method::PATCH,
        &format!("/api/clients/{client}/team-members/{}", members[1]),
        Some(json!({"priority": 200})),
    )
    .await;
    assert_eq!(app.sms("SM1", LEAD_PHONE, HOT).await.status(), 200);
    app.twilio.wait_for("/Calls.json", 1).await;
    // The second tier joins after the delay (15 s).
    let later: jiff::Timestamp = "2026-11-23T14:00:16-07:00"
        .parse()
        .unwrap_or_else(|e| panic!("{e}"));
    app.clock.set(later);
    let calls = app.twilio.wait_for("/Calls.json", 2).await;
    assert_eq!(calls.len(), 2);
    let mut actions = Vec::new();
    for (n, call) in calls.iter().enumerate() {
        let sid = format!("CA{:032}", n + 1);
        leg_status(
            &app,
            call.get("StatusCallback").unwrap_or_default(),
            &sid,
            "in-progress",
            "2",
        )
        .await;
        let whisper = app
            .post_signed(call.get("Url").unwrap_or_default(), &[("CallSid", &sid)])
            .await
            .text()
            .await
            .unwrap_or_default();
        actions.push((attribute(&whisper, "action").unwrap_or_default(), sid));
    }
    // Both agents press 1 at the same moment.
    let press = |(action, sid): &(String, String)| {
        let (action, sid) = (action.clone(), sid.clone());
        let app = &app;
        async move {
            app.post_signed(&action, &[("CallSid", sid.as_str()), ("Digits", "1")])
                .await
                .text()
                .await
                .unwrap_or_default()
        }
    };
    let (a, b) = tokio::join!(press(&actions[0]), press(&actions[1]));
    let answers = [a, b];
    let bridged = answers.iter().filter(|a| a.contains("<Dial")).count();
    assert_eq!(bridged, 1, "{answers:?}");
    assert!(
        answers.iter().any(|a| a.contains("already took")),
        "{answers:?}"
    );
    assert_eq!(app.count("ring_groups WHERE status = 'answered'").await, 1);

    // Sequential: Twilio delivers the first leg's end twice at once; the
    // next phone is called once.
    let app = spawn_app_on(Backend::Postgres, MONDAY_14, 3).await;
    set_strategy(&app, "sequential").await;
    assert_eq!(app.sms("SM1", LEAD_PHONE, HOT).await.status(), 200);
    let first = app.twilio.wait_for("/Calls.json", 1).await;
    let status_url = first[0]
        .get("StatusCallback")
        .unwrap_or_default()
        .to_owned();
    let sid = "CA00000000000000000000000000000001";
    tokio::join!(
        leg_status(&app, &status_url, sid, "no-answer", "3"),
        leg_status(&app, &status_url, sid, "no-answer", "3")
    );
    app.twilio.wait_for("/Calls.json", 2).await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(
        app.twilio.count("/Calls.json"),
        2,
        "the next phone called once"
    );
}
