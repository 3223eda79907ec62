//! Faults Twilio really has: REST errors, rate limits and timeouts when
//! placing calls, and status callbacks duplicated and reordered at volume.

use std::time::Duration;

use crate::fake_twilio::Behaviour;
use crate::helpers::{Backend, TestApp, spawn_app_limited, spawn_app_on, spawn_app_with};

const MONDAY_14: &str = "2026-11-23T14:00:00-07:00";
const HOT: &str = "Water pouring through the ceiling, can someone come today?";

/// Waits until `count` rows match `table` (a table and condition).
async fn wait_rows(app: &TestApp, table: &str, count: i64) {
    for _ in 0..100 {
        if app.count(table).await == count {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{table}: {} rows, expected {count}", app.count(table).await);
}

/// Moves the app's clock `seconds` on from `MONDAY_14`.
fn clock_at(app: &TestApp, seconds: i64) {
    let monday_14: jiff::Timestamp = MONDAY_14.parse().unwrap_or_else(|e| panic!("{e}"));
    app.clock.set(
        monday_14
            .checked_add(jiff::SignedDuration::from_secs(seconds))
            .unwrap_or(monday_14),
    );
}

fn calls_to(app: &TestApp, phone: &str) -> usize {
    app.twilio
        .received()
        .iter()
        .filter(|r| r.path.ends_with("/Calls.json") && r.get("To") == Some(phone))
        .count()
}

#[tokio::test]
async fn a_call_twilio_refuses_for_good_fails_its_leg_and_the_lead_is_escalated() {
    let app = spawn_app_with(Backend::Sqlite, MONDAY_14, 3, Behaviour::CallsFail(400)).await;
    assert_eq!(app.sms("SM1", "+14035550142", HOT).await.status(), 200);
    // Every agent is texted about the escalation instead.
    let texts = app.twilio.wait_for("/Messages.json", 3).await;
    assert_eq!(texts.len(), 3);
    wait_rows(&app, "escalations WHERE reason = 'no_answer'", 1).await;
    wait_rows(&app, "call_attempts WHERE leg_status = 'failed'", 3).await;
    assert_eq!(app.count("ring_groups WHERE status = 'exhausted'").await, 1);
    // The refusal is recorded with Twilio's code, and not retried.
    wait_rows(
        &app,
        "jobs WHERE kind = 'place_calls' AND state = 'failed' AND last_error LIKE '%400%20001%'",
        1,
    )
    .await;
    clock_at(&app, 600);
    assert_eq!(app.sms("SM1", "+14035550142", HOT).await.status(), 200);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    for member in &app.members {
        assert_eq!(calls_to(&app, member.phone.as_str()), 1, "{}", member.phone);
    }
    assert_eq!(app.count("escalations").await, 1);
    assert_eq!(
        app.twilio.count("/Messages.json"),
        3,
        "an agent was texted twice"
    );
}

#[tokio::test]
async fn calls_refused_for_now_are_placed_again_later_once_each() {
    // 500, 503 and a 429 past the client's own retries: nothing was
    // created, so the durable job places each of them again later.
    for (status, per_agent_first_run) in [(500, 1), (503, 1), (429, 3)] {
        let app = spawn_app_with(Backend::Sqlite, MONDAY_14, 3, Behaviour::Normal).await;
        let refusals = 3 * per_agent_first_run;
        app.twilio.script((0..refusals).map(|_| {
            crate::fake_twilio::Answer::status(
                status,
                &format!(r#"{{"code": 20500, "message": "busy", "status": {status}}}"#),
            )
        }));
        assert_eq!(app.sms("SM1", "+14035550142", HOT).await.status(), 200);
        app.twilio.wait_for("/Calls.json", refusals).await;
        wait_rows(&app, "call_attempts WHERE leg_status = 'pending'", 3).await;
        // Not before the retry is due (about 5 s later)...
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert_eq!(app.twilio.count("/Calls.json"), refusals, "{status}");
        // ...then once each.
        clock_at(&app, 7);
        app.twilio.wait_for("/Calls.json", refusals + 3).await;
        wait_rows(&app, "call_attempts WHERE leg_status = 'queued'", 3).await;
        for member in &app.members {
            assert_eq!(
                calls_to(&app, member.phone.as_str()),
                per_agent_first_run + 1,
                "{status}: {}",
                member.phone
            );
        }
        assert_eq!(app.count("escalations").await, 0, "{status}");
        wait_rows(
            &app,
            "jobs WHERE kind = 'place_calls' AND state = 'done'",
            1,
        )
        .await;
    }
}

#[tokio::test]
async fn a_create_cut_off_by_a_timeout_is_placed_again_at_most_once() {
    let app = spawn_app_with(Backend::Sqlite, MONDAY_14, 3, Behaviour::CallsHang).await;
    assert_eq!(app.sms("SM1", "+14035550142", HOT).await.status(), 200);
    app.twilio.wait_for("/Calls.json", 3).await;
    // Twilio may have placed them: they stay dialling, unknown.
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert_eq!(
        app.count("call_attempts WHERE leg_status = 'dialing' AND call_sid IS NULL")
            .await,
        3
    );
    // The retry places each once more; after that, never again.
    for seconds in [7, 30, 200] {
        clock_at(&app, seconds);
        tokio::time::sleep(Duration::from_millis(3500)).await;
    }
    for member in &app.members {
        assert_eq!(calls_to(&app, member.phone.as_str()), 2, "{}", member.phone);
    }
    wait_rows(&app, "call_attempts WHERE leg_status = 'failed'", 3).await;
    wait_rows(&app, "escalations WHERE reason = 'no_answer'", 1).await;
}

#[tokio::test]
async fn a_team_text_refused_for_now_is_retried_and_its_state_shown() {
    // Monday 18:00: closed, so the team is texted.
    let app = spawn_app_with(
        Backend::Sqlite,
        "2026-11-23T18:00:00-07:00",
        3,
        Behaviour::Normal,
    )
    .await;
    app.twilio.script([
        crate::fake_twilio::Answer::status(503, r#"{"code": 20503, "message": "unavailable"}"#),
        crate::fake_twilio::Answer::status(400, r#"{"code": 21211, "message": "invalid To"}"#),
    ]);
    assert_eq!(app.sms("SM1", "+14035550142", HOT).await.status(), 200);
    app.twilio.wait_for("/Messages.json", 3).await;
    wait_rows(&app, "escalation_texts WHERE state = 'sent'", 1).await;
    let client = app.first_id("clients").await;
    let (status, escalations) = app
        .api(
            reqwest::Method::GET,
            &format!("/api/clients/{client}/escalations"),
            crate::helpers::ADMIN_TOKEN,
            None,
        )
        .await;
    assert_eq!(status, 200, "{escalations}");
    let texts = &escalations[0]["texts"];
    let mut states: Vec<&str> = texts
        .as_array()
        .map(|t| t.iter().filter_map(|t| t["state"].as_str()).collect())
        .unwrap_or_default();
    states.sort_unstable();
    assert_eq!(states, ["failed", "pending", "sent"], "{escalations}");
    assert!(
        texts.as_array().is_some_and(|t| t
            .iter()
            .any(|t| t["error"].as_str().is_some_and(|e| e.contains("21211")))),
        "{escalations}"
    );
    // The pending one goes out on the retry; the refused one never again.
    let monday_18: jiff::Timestamp = "2026-11-23T18:00:07-07:00"
        .parse()
        .unwrap_or_else(|e| panic!("{e}"));
    app.clock.set(monday_18);
    wait_rows(&app, "escalation_texts WHERE state = 'sent'", 2).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(app.twilio.count("/Messages.json"), 4);
    assert_eq!(
        app.count("escalation_texts WHERE state = 'failed'").await,
        1
    );
}

/// A small deterministic shuffle (xorshift), so a failure replays.
fn shuffle<T>(items: &mut [T], mut seed: u64) {
    for i in (1..items.len()).rev() {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let j = usize::try_from(seed % (i as u64 + 1)).unwrap_or(0);
        items.swap(i, j);
    }
}

#[tokio::test]
async fn duplicated_and_reordered_callbacks_at_volume_end_each_group_once() {
    const LEADS: usize = 25;
    const AGENTS: usize = 3;
    let app = spawn_app_on(Backend::Postgres, MONDAY_14, AGENTS as u32).await;
    for n in 0..LEADS {
        let from = format!("+1403555{:04}", 1000 + n);
        assert_eq!(
            app.sms(&format!("SM{n:032}"), &from, HOT).await.status(),
            200
        );
    }
    let calls = app.twilio.wait_for("/Calls.json", LEADS * AGENTS).await;
    wait_rows(
        &app,
        "call_attempts WHERE call_sid IS NOT NULL",
        (LEADS * AGENTS) as i64,
    )
    .await;

    // Every leg rings and is not answered; each callback is sent three
    // times, all of them shuffled and sent eight at a time.
    let mut callbacks = Vec::new();
    for (n, call) in calls.iter().enumerate() {
        let url = call.get("StatusCallback").unwrap_or_default().to_owned();
        let sid = format!("CA{:032}", n + 1);
        for (status, sequence) in [("initiated", "0"), ("ringing", "1"), ("no-answer", "2")] {
            for _ in 0..3 {
                callbacks.push((url.clone(), sid.clone(), status, sequence));
            }
        }
    }
    shuffle(&mut callbacks, 0x9e37_79b9_7f4a_7c15);
    let app = std::sync::Arc::new(app);
    for chunk in callbacks.chunks(8) {
        let mut sends = Vec::new();
        for (url, sid, status, sequence) in chunk.iter().cloned() {
            let app = app.clone();
            sends.push(tokio::spawn(async move {
                app.post_signed(
                    &url,
                    &[
                        ("CallSid", sid.as_str()),
                        ("CallStatus", status),
                        ("SequenceNumber", sequence),
                        ("CallDuration", "0"),
                    ],
                )
                .await
                .status()
                .as_u16()
            }));
        }
        for send in sends {
            let status = send.await.unwrap_or(0);
            assert!((200..300).contains(&status), "callback answered {status}");
        }
    }

    // Each leg ends no-answer however its callbacks arrived; each lead is
    // escalated once and each agent texted once per lead.
    wait_rows(
        &app,
        "call_attempts WHERE leg_status = 'no-answer'",
        (LEADS * AGENTS) as i64,
    )
    .await;
    wait_rows(&app, "ring_groups WHERE status = 'exhausted'", LEADS as i64).await;
    wait_rows(&app, "escalations", LEADS as i64).await;
    app.twilio.wait_for("/Messages.json", LEADS * AGENTS).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        app.twilio
            .received()
            .iter()
            .filter(|r| r.path.ends_with("/Messages.json"))
            .count(),
        LEADS * AGENTS,
        "an agent was texted twice about one lead"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn past_its_bound_a_webhook_is_refused_at_once_and_the_ones_in_flight_still_land() {
    let app = spawn_app_limited(Backend::Postgres, MONDAY_14, 1, Behaviour::Normal, 1).await;
    // Another session holds the messages table: the first SMS waits inside
    // the server, taking the one slot.
    let lock = app
        .database
        .hold("LOCK TABLE messages IN EXCLUSIVE MODE")
        .await;
    let (held, refused) = tokio::join!(app.sms("SM1", "+14035550142", "ok thanks"), async {
        wait_rows(
            &app,
            "pg_locks WHERE NOT granted AND database = \
             (SELECT oid FROM pg_database WHERE datname = current_database())",
            1,
        )
        .await;
        let refused = app.sms("SM2", "+14035550143", "ok thanks").await;
        let answer = (
            refused.status(),
            refused
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
        );
        lock.release().await;
        answer
    });
    assert_eq!(
        refused,
        (
            reqwest::StatusCode::SERVICE_UNAVAILABLE,
            Some("1".to_owned())
        )
    );
    assert_eq!(held.status(), 200);
    assert_eq!(app.count("messages").await, 1);
    // The slot is free again: Twilio's retry of the refused SMS lands.
    assert_eq!(
        app.sms("SM2", "+14035550143", "ok thanks").await.status(),
        200
    );
    assert_eq!(app.count("messages").await, 2);
}
