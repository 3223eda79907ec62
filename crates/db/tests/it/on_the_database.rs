//! What only the database adapter does, on SQLite and on PostgreSQL: the
//! routing policy running on it end to end with its statistics read in one
//! query, and pruning old records.

use std::sync::Arc;

use hotline_domain::BuiltinIntentScorer;
use hotline_domain::reports::Stats;
use hotline_domain::reports::ports::ReportStore;
use hotline_domain::routing::memory::{
    ManualClock, RecordingTelephony, RecordingWebhooks, SequentialIds, TestLinks,
};
use hotline_domain::routing::model::{MessageRecorded, MessageSid, NewMessage};
use hotline_domain::routing::ports::{LeadStore, RingGroupStore};
use hotline_domain::routing::{FollowUp, InboundSms, RoutingConfig, RoutingPorts, RoutingService};
use hotline_domain::work::{JobFinish, JobStore, RetryPolicy};

use crate::contract::{HOURS, assessment, schedule};
use crate::helpers::{TestDb, client_with_team, now, phone};

#[tokio::test]
async fn the_routing_policy_runs_on_the_database() {
    for t in TestDb::both().await {
        let db = Arc::new(t.db.clone());
        let (client, _) = client_with_team(&*db, "+15875550100", 3).await;
        db.replace_schedule(client.id, &schedule(HOURS), now())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let telephony = Arc::new(RecordingTelephony::default());
        let monday_14 = "2026-11-23T14:00:00-07:00".parse().unwrap_or(now());
        let service = RoutingService::new(
            RoutingPorts {
                clients: db.clone(),
                leads: db.clone(),
                ring_groups: db.clone(),
                escalations: db.clone(),
                telephony: telephony.clone(),
                links: Arc::new(TestLinks),
                scorer: Arc::new(BuiltinIntentScorer::default()),
                clock: Arc::new(ManualClock::at(monday_14)),
                ids: Arc::new(SequentialIds::default()),
                jobs: db.clone(),
                webhooks: db.clone(),
                webhook_sender: Arc::new(RecordingWebhooks::default()),
            },
            RoutingConfig::default(),
        );
        let sms = InboundSms {
            sid: MessageSid("SM1".into()),
            from: phone("+14035550142"),
            to: client.twilio_number.clone(),
            body: "Water pouring through the ceiling, can someone come today?".into(),
        };
        let handled = service
            .inbound_sms(&sms)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        // The calls run from the jobs stored with the decision, as a
        // worker takes them from the database.
        let policy = RetryPolicy::default();
        let lease = policy.lease(uuid::Uuid::now_v7(), monday_14);
        let jobs = db
            .claim_due(&lease, monday_14, 10)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", t.name));
        let kinds: Vec<_> = jobs.iter().map(|j| j.work.kind()).collect();
        assert_eq!(
            kinds,
            ["place_calls"],
            "{}: the deadline is not due",
            t.name
        );
        for job in &jobs {
            let outcome = service
                .run(&job.work)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            let finish = policy.finish(job, outcome, monday_14);
            assert_eq!(finish, JobFinish::Done);
            assert_eq!(
                db.finish(job.id, lease.owner, job.attempt, &finish, monday_14)
                    .await,
                Ok(true)
            );
        }
        assert_eq!(
            db.claim_due(&lease, monday_14, 10).await.map(|j| j.len()),
            Ok(0),
            "{}: done jobs are not handed out again",
            t.name
        );
        let again = service
            .inbound_sms(&sms)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(again.follow_ups.is_empty(), "{}", t.name);
        assert_eq!(
            telephony.requests().len(),
            3,
            "{}: one call per team member",
            t.name
        );

        // The first agent presses 1: the statistics, read in one query,
        // count one accepted ring group, one hot lead, and the agents' legs.
        let Some(FollowUp::PlaceCalls { group, .. }) = handled.follow_ups.first().cloned() else {
            panic!("{}: no ring group in {:?}", t.name, handled.follow_ups);
        };
        let attempts = db.attempts(group).await.unwrap_or_else(|e| panic!("{e}"));
        service
            .agent_pressed(attempts[0].id, "1")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let day_start = "2026-11-23T00:00:00-07:00".parse().unwrap_or(now());
        let day_end = "2026-11-24T00:00:00-07:00".parse().unwrap_or(now());
        let facts = db
            .stats_facts(client.id, day_start, day_end)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", t.name));
        let stats = Stats::from_facts(&facts, day_start, day_end);
        assert_eq!(
            (
                stats.ring_groups,
                stats.answered,
                stats.hot_leads,
                stats.after_hours_hot_leads
            ),
            (1, 1, 1, 0),
            "{}: {stats:?}",
            t.name
        );
        assert_eq!(stats.agents.len(), 3, "{}: {stats:?}", t.name);
        assert_eq!(stats.agents.iter().map(|a| a.rung).sum::<i64>(), 3);
        assert_eq!(stats.agents.iter().map(|a| a.accepted).sum::<i64>(), 1);
        assert_eq!(
            stats.speed_to_lead_p50_seconds, 0.0,
            "{}: a pinned clock",
            t.name
        );
        let elsewhere = db
            .stats_facts(
                client.id,
                day_end,
                day_end
                    .saturating_add(jiff::SignedDuration::from_hours(24))
                    .unwrap_or(day_end),
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            Stats::from_facts(&elsewhere, day_end, day_end),
            Stats::default()
        );
        t.drop_database().await;
    }
}

#[tokio::test]
async fn pruning_removes_only_what_is_older_than_the_cutoff() {
    for t in TestDb::both().await {
        let db = &t.db;
        let (client, _) = client_with_team(db, "+15875550100", 1).await;
        let lead = db
            .upsert_lead(client.id, &phone("+14035550142"), now())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        for (n, at) in [
            "2026-01-01T00:00:00Z",
            "2026-06-01T00:00:00Z",
            "2026-11-23T21:00:00Z",
        ]
        .iter()
        .enumerate()
        {
            let message = NewMessage {
                sid: MessageSid(format!("SM{n}")),
                client_id: client.id,
                lead_id: lead.id,
                body: "hello".into(),
                assessment: assessment(false),
                received_at: at.parse().unwrap_or(now()),
            };
            assert_eq!(db.record_message(&message).await, Ok(MessageRecorded::New));
        }
        let cutoff = "2026-07-01T00:00:00Z".parse().unwrap_or(now());
        let pruned = db.prune(cutoff).await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(pruned.messages, 2, "{}", t.name);
        assert_eq!(
            db.last_message_body(lead.id).await,
            Ok(Some("hello".to_owned()))
        );
        assert_eq!(db.prune(cutoff).await.map(|p| p.messages), Ok(0));
        t.drop_database().await;
    }
}

#[tokio::test]
async fn lead_pages_read_on_from_the_last_lead_and_keep_to_the_period() {
    use hotline_domain::reports::{LeadCursor, LeadFilter, LeadQuery};
    use hotline_domain::{LeadId, Timestamp};

    for t in TestDb::both().await {
        let (client, _) = client_with_team(&t.db, "+15875550100", 1).await;
        // 7 leads an hour apart, two of them (3 and 4) in the same second,
        // which the pages of 3 split: 6, 5, 4|3; 3|4, 2, 1; 0.
        let start: Timestamp = "2026-11-20T00:00:00Z".parse().unwrap_or(now());
        let hour = |n: i64| if n == 4 { 3 } else { n };
        let mut made = Vec::new();
        for n in 0..7_i64 {
            let at = start + jiff::SignedDuration::from_hours(hour(n));
            let lead =
                t.db.upsert_lead(client.id, &phone(&format!("+1403555020{n}")), at)
                    .await
                    .unwrap_or_else(|e| panic!("{e}"));
            made.push(lead.id);
        }
        let page = |before: Option<LeadCursor>, since: Option<Timestamp>| LeadQuery {
            filter: LeadFilter::All,
            since,
            until: None,
            before,
            limit: 3,
        };
        let mut seen: Vec<String> = Vec::new();
        let mut before = None;
        loop {
            let leads =
                t.db.lead_page(client.id, &page(before, None))
                    .await
                    .unwrap_or_else(|e| panic!("{e}"));
            let Some(last) = leads.last() else { break };
            before = Some(LeadCursor {
                created_at: last.created_at.parse().unwrap_or(now()),
                id: LeadId::parse(&last.id).unwrap_or_else(|e| panic!("{e}")),
            });
            seen.extend(leads.iter().map(|l| l.id.clone()));
        }
        // Every lead once, newest first; the two of the same second by id.
        assert_eq!(seen.len(), 7, "{seen:?}");
        let mut expected: Vec<(Timestamp, String)> = made
            .iter()
            .enumerate()
            .map(|(n, id)| {
                (
                    start + jiff::SignedDuration::from_hours(hour(n as i64)),
                    id.to_string(),
                )
            })
            .collect();
        expected.sort_by(|a, b| b.cmp(a));
        let expected: Vec<String> = expected.into_iter().map(|(_, id)| id).collect();
        assert_eq!(seen, expected);
        // The period keeps leads that first texted from 03:00 on.
        let since = start + jiff::SignedDuration::from_hours(3);
        let recent =
            t.db.lead_page(
                client.id,
                &LeadQuery {
                    limit: 50,
                    ..page(None, Some(since))
                },
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(recent.len(), 4, "{recent:?}");
        t.drop_database().await;
    }
}

#[tokio::test]
async fn a_leads_webhook_deliveries_are_read_by_lead_and_only_for_its_client() {
    use hotline_domain::webhooks::{DeliveryAttempt, EndpointId, WebhookEndpoint, WebhookStore};

    for t in TestDb::both().await {
        let (client, _) = client_with_team(&t.db, "+15875550100", 1).await;
        let (other, _) = client_with_team(&t.db, "+15875550101", 1).await;
        let lead =
            t.db.upsert_lead(client.id, &phone("+14035550142"), now())
                .await
                .unwrap_or_else(|e| panic!("{e}"));
        let endpoint = WebhookEndpoint {
            id: EndpointId(uuid::Uuid::now_v7()),
            client_id: client.id,
            url: "https://crm.example.com/hotline".into(),
            events: Vec::new(),
            description: None,
            secret: "whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0".into(),
            created_at: now(),
        };
        t.db.insert_endpoint(&endpoint)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        for (n, status) in [(1, Some(500)), (2, Some(200))] {
            let attempt = DeliveryAttempt {
                event_id: "01a22c31-beb2-7667-a5ee-9b957a85656e".into(),
                event_type: "lead.hot".into(),
                attempt: n,
                status_code: status,
                error: None,
                at: (now() + jiff::SignedDuration::from_secs(i64::from(n))).to_string(),
                lead_id: Some(lead.id.to_string()),
            };
            t.db.record_attempt(endpoint.id, &attempt)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let mine =
            t.db.lead_attempts(client.id, lead.id, 10)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
        let seen: Vec<(String, u32, Option<u16>)> = mine
            .iter()
            .map(|(url, a)| (url.clone(), a.attempt, a.status_code))
            .collect();
        assert_eq!(
            seen,
            [
                ("https://crm.example.com/hotline".to_owned(), 1, Some(500)),
                ("https://crm.example.com/hotline".to_owned(), 2, Some(200)),
            ]
        );
        assert_eq!(
            t.db.lead_attempts(other.id, lead.id, 10)
                .await
                .map(|a| a.len()),
            Ok(0)
        );
        t.drop_database().await;
    }
}
