//! Races decided by PostgreSQL itself, with real parallel connections.

use std::sync::Arc;

use hotline_domain::routing::model::{
    Acceptance, ClaimOutcome, InboundMessage, MessageRecorded, MessageSid, NewMessage,
    RingGroupStart, SettledDecision,
};
use hotline_domain::routing::ports::{EscalationStore, LeadStore, RingGroupStore};
use hotline_domain::{BuiltinIntentScorer, Timestamp};

use crate::contract::{escalation_for, new_group};
use crate::helpers::{TestDb, client_with_team, now, phone};

async fn all<T: Send + 'static>(tasks: Vec<tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut out = Vec::new();
    for task in tasks {
        out.push(task.await.unwrap_or_else(|e| panic!("task failed: {e}")));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_concurrent_starts_give_one_ring_group() {
    let t = TestDb::postgres().await;
    let db = Arc::new(t.db.clone());
    let (client, members) = client_with_team(&*db, "+15875550100", 2).await;
    let lead = db
        .upsert_lead(client.id, &phone("+14035550142"), now())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let tasks = (0..20)
        .map(|_| {
            let (db, group) = (db.clone(), new_group(&lead, &members));
            tokio::spawn(async move { (group.group.id, db.start_ring_group(&group).await) })
        })
        .collect();
    let results = all(tasks).await;
    let started: Vec<_> = results
        .iter()
        .filter(|(_, r)| matches!(r, Ok(RingGroupStart::Started)))
        .map(|(id, _)| *id)
        .collect();
    assert_eq!(started.len(), 1, "{results:?}");
    // Every other start names the one group that rings, which alone has legs.
    assert!(
        results.iter().all(
            |(id, r)| *id == started[0] || *r == Ok(RingGroupStart::AlreadyRinging(started[0]))
        ),
        "{results:?}"
    );
    for (id, _) in &results {
        let legs = db.attempts(*id).await.map(|a| a.len());
        assert_eq!(legs, Ok(if *id == started[0] { 2 } else { 0 }));
    }
    t.drop_database().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_concurrent_acceptances_give_one_winner() {
    let t = TestDb::postgres().await;
    let db = Arc::new(t.db.clone());
    let (client, members) = client_with_team(&*db, "+15875550100", 10).await;
    let lead = db
        .upsert_lead(client.id, &phone("+14035550142"), now())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let group = new_group(&lead, &members);
    assert_eq!(
        db.start_ring_group(&group).await,
        Ok(RingGroupStart::Started)
    );
    let tasks = group
        .attempts
        .iter()
        .map(|a| {
            let (db, id) = (db.clone(), a.id);
            tokio::spawn(async move { db.accept(id, Timestamp::now(), &[]).await })
        })
        .collect();
    let results = all(tasks).await;
    let won = results
        .iter()
        .filter(|r| matches!(r, Ok(Acceptance::Won)))
        .count();
    let lost = results
        .iter()
        .filter(|r| matches!(r, Ok(Acceptance::Lost)))
        .count();
    assert_eq!((won, lost), (1, 9), "{results:?}");
    t.drop_database().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_concurrent_claims_give_one_owner() {
    let t = TestDb::postgres().await;
    let db = Arc::new(t.db.clone());
    let (client, members) = client_with_team(&*db, "+15875550100", 10).await;
    let lead = db
        .upsert_lead(client.id, &phone("+14035550142"), now())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let escalation = escalation_for(&lead);
    db.open_escalation(&escalation, &[])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let tasks = members
        .iter()
        .map(|m| {
            let (db, member) = (db.clone(), m.id);
            tokio::spawn(async move { db.claim(escalation.id, member, now(), &[]).await })
        })
        .collect();
    let results = all(tasks).await;
    let claimed = results
        .iter()
        .filter(|r| matches!(r, Ok(ClaimOutcome::Claimed)))
        .count();
    let refused = results
        .iter()
        .filter(|r| matches!(r, Ok(ClaimOutcome::AlreadyClaimed(_))))
        .count();
    assert_eq!((claimed, refused), (1, 9), "{results:?}");
    t.drop_database().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_message_sid_ten_times_is_stored_once() {
    let t = TestDb::postgres().await;
    let db = Arc::new(t.db.clone());
    let (client, _) = client_with_team(&*db, "+15875550100", 1).await;
    let lead = db
        .upsert_lead(client.id, &phone("+14035550142"), now())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let message = NewMessage {
        sid: MessageSid("SM42".into()),
        client_id: client.id,
        lead_id: lead.id,
        body: "leak! call me".into(),
        assessment: BuiltinIntentScorer::default().assess("leak! call me"),
        received_at: now(),
    };
    let tasks = (0..10)
        .map(|_| {
            let (db, message) = (db.clone(), message.clone());
            tokio::spawn(async move { db.record_message(&message).await })
        })
        .collect();
    let results = all(tasks).await;
    let new = results
        .iter()
        .filter(|r| matches!(r, Ok(MessageRecorded::New)))
        .count();
    assert_eq!(new, 1, "{results:?}");
    assert!(results.iter().all(Result::is_ok));
    t.drop_database().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn migrations_applied_by_several_processes_at_once_apply_once() {
    let t = TestDb::postgres().await;
    let tasks = (0..4)
        .map(|_| {
            let db = t.db.clone();
            tokio::spawn(async move { db.migrate().await.map_err(|e| e.to_string()) })
        })
        .collect();
    assert!(all(tasks).await.iter().all(Result::is_ok));
    t.drop_database().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_new_lead_texting_ten_times_at_once_is_one_lead_with_ten_messages() {
    let t = TestDb::postgres().await;
    let db = Arc::new(t.db.clone());
    let (client, _) = client_with_team(&*db, "+15875550100", 1).await;
    let assessment = BuiltinIntentScorer::default().assess("hello");
    let tasks = (0..10)
        .map(|n| {
            let db = db.clone();
            let message = InboundMessage {
                sid: MessageSid(format!("SM{n:032}")),
                client_id: client.id,
                from: phone("+14035550199"),
                body: format!("message {n}"),
                assessment: assessment.clone(),
                received_at: now(),
                settled: Some(SettledDecision {
                    open: true,
                    next_open: None,
                }),
            };
            tokio::spawn(async move { db.record_inbound(&message).await })
        })
        .collect();
    let results = all(tasks).await;
    let leads: std::collections::HashSet<_> = results
        .iter()
        .map(|r| match r {
            Ok((lead, MessageRecorded::New)) => lead.id,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(leads.len(), 1);

    // The same sid again finds the message stored and the same lead.
    let again = InboundMessage {
        sid: MessageSid(format!("SM{:032}", 3)),
        client_id: client.id,
        from: phone("+14035550199"),
        body: "message 3".to_owned(),
        assessment,
        received_at: now(),
        settled: None,
    };
    let (lead, recorded) = db
        .record_inbound(&again)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(leads.contains(&lead.id));
    // Each of the ten was stored with its decision, whichever path it took.
    assert!(
        matches!(&recorded, MessageRecorded::AlreadyStored { decision: Some(d) } if d.lead_id == lead.id && d.open),
        "{recorded:?}"
    );
    t.drop_database().await;
}
