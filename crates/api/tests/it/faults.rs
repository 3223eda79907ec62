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

#[tokio::test]
async fn when_no_call_can_be_placed_the_lead_is_escalated_and_no_call_is_repeated() {
    // (behaviour, Calls.json requests per agent): a 500 and a timeout are
    // never retried (the call may exist); a 429 is, up to the attempt limit.
    for (behaviour, per_agent) in [
        (Behaviour::CallsFail(500), 1),
        (Behaviour::CallsFail(429), 3),
        (Behaviour::CallsHang, 1),
    ] {
        let app = spawn_app_with(Backend::Sqlite, MONDAY_14, 3, behaviour).await;
        assert_eq!(app.sms("SM1", "+14035550142", HOT).await.status(), 200);
        // Every agent is texted about the escalation instead.
        let texts = app.twilio.wait_for("/Messages.json", 3).await;
        assert_eq!(texts.len(), 3, "{behaviour:?}");
        wait_rows(&app, "escalations WHERE reason = 'no_answer'", 1).await;
        wait_rows(&app, "call_attempts WHERE leg_status = 'failed'", 3).await;
        assert_eq!(app.count("ring_groups WHERE status = 'exhausted'").await, 1);

        // Twilio delivers the same SMS again: nothing is dialled twice.
        assert_eq!(app.sms("SM1", "+14035550142", HOT).await.status(), 200);
        tokio::time::sleep(Duration::from_millis(300)).await;
        let calls = app
            .twilio
            .received()
            .into_iter()
            .filter(|r| r.path.ends_with("/Calls.json"))
            .collect::<Vec<_>>();
        assert_eq!(calls.len(), 3 * per_agent, "{behaviour:?}");
        for member in &app.members {
            let to_member = calls
                .iter()
                .filter(|c| c.get("To") == Some(member.phone.as_str()))
                .count();
            assert_eq!(to_member, per_agent, "{behaviour:?}");
        }
        assert_eq!(app.count("escalations").await, 1);
        assert_eq!(
            app.twilio
                .received()
                .iter()
                .filter(|r| r.path.ends_with("/Messages.json"))
                .count(),
            3,
            "{behaviour:?}: an agent was texted twice"
        );
    }
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
