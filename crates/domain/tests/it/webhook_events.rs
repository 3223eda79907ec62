//! Events for outbound webhooks over the in-memory adapters: emitted with
//! the decisions they describe, delivered to the endpoints subscribed to
//! them, retried on the contract's schedule, logged.

use hotline_domain::routing::ports::Clock;
use hotline_domain::webhooks::{EndpointId, EventData, WebhookEndpoint, WebhookStore};

use crate::helpers::instant;
use crate::routing_helpers::{HOT_TEXT, LEAD_PHONE, MONDAY_9_TO_5, World, block_on, world};

const MONDAY_14: &str = "2026-11-23T14:00:00-07:00";
const MONDAY_18: &str = "2026-11-23T18:00:00-07:00";

fn endpoint(w: &World, n: u128, events: &[&str]) -> EndpointId {
    let endpoint = WebhookEndpoint {
        id: EndpointId(uuid::Uuid::from_u128(0xe0 + n)),
        client_id: w.client.id,
        url: format!("https://crm.example/hooks/{n}"),
        events: events.iter().map(|e| (*e).to_owned()).collect(),
        description: None,
        secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".to_owned(),
        created_at: w.clock.now(),
    };
    block_on(w.store.insert_endpoint(&endpoint)).unwrap_or_else(|e| panic!("{e}"));
    endpoint.id
}

#[test]
fn each_decision_is_an_event_delivered_to_the_endpoints_that_want_it() {
    let w = world(MONDAY_14, Some(MONDAY_9_TO_5), 2);
    endpoint(&w, 1, &[]);
    endpoint(&w, 2, &["lead.accepted"]);
    w.sms("SM1", LEAD_PHONE, HOT_TEXT);
    let attempt = w.store.snapshot(|s| s.attempts[0].id);
    block_on(w.service.agent_pressed(attempt, "1")).unwrap_or_else(|e| panic!("{e}"));
    w.run_jobs();
    let delivered = w
        .webhooks
        .delivered
        .lock()
        .map(|d| d.clone())
        .unwrap_or_default();
    let to = |n: u128| -> Vec<&str> {
        delivered
            .iter()
            .filter(|(url, _, _)| url.ends_with(&format!("/{n}")))
            .map(|(_, e, _)| e.data.type_name())
            .collect()
    };
    let mut all = to(1);
    all.sort_unstable();
    assert_eq!(all, ["lead.accepted", "lead.hot", "ring_group.started"]);
    assert_eq!(to(2), ["lead.accepted"]);
    let hot = delivered
        .iter()
        .find(|(_, e, _)| e.data.type_name() == "lead.hot")
        .map(|(_, e, _)| e.clone());
    let Some(hot) = hot else {
        panic!("no lead.hot")
    };
    assert_eq!(hot.client_id, w.client.id);
    let EventData::LeadHot {
        phone,
        message,
        within_hours,
        ..
    } = &hot.data
    else {
        panic!("{hot:?}");
    };
    assert_eq!(
        (phone.as_str(), message.as_str(), *within_hours),
        (LEAD_PHONE, HOT_TEXT, true)
    );
    // The same event reaches both endpoints with one id.
    let accepted: Vec<uuid::Uuid> = delivered
        .iter()
        .filter(|(_, e, _)| e.data.type_name() == "lead.accepted")
        .map(|(_, e, _)| e.id)
        .collect();
    assert_eq!(accepted.len(), 2);
    assert_eq!(accepted[0], accepted[1]);
}

#[test]
fn escalations_claims_opt_outs_and_bookings_are_events_too() {
    let w = world(MONDAY_18, Some(MONDAY_9_TO_5), 2);
    endpoint(&w, 1, &[]);
    w.sms("SM1", LEAD_PHONE, HOT_TEXT);
    w.sms("SM2", w.members[0].phone.as_str(), "CLAIM");
    let lead = w.store.snapshot(|s| s.leads[0].id);
    block_on(w.service.appointment_booked(lead)).unwrap_or_else(|e| panic!("{e}"));
    w.sms("SM3", LEAD_PHONE, "STOP");
    w.run_jobs();
    let mut types = w.webhooks.types();
    types.sort_unstable();
    assert_eq!(
        types,
        [
            "escalation.claimed",
            "escalation.opened",
            "lead.booked",
            "lead.hot",
            "lead.opted_out"
        ]
    );
}

#[test]
fn a_client_without_endpoints_stores_no_event_jobs() {
    let w = world(MONDAY_14, Some(MONDAY_9_TO_5), 2);
    let handled = w.sms("SM1", LEAD_PHONE, HOT_TEXT);
    assert!(
        !handled.follow_ups.iter().any(|f| matches!(
            f,
            hotline_domain::routing::FollowUp::Publish { .. }
                | hotline_domain::routing::FollowUp::DeliverWebhook { .. }
        )),
        "{:?}",
        handled.follow_ups
    );
}

#[test]
fn a_failing_receiver_is_retried_on_the_schedule_and_each_attempt_logged() {
    let w = world(MONDAY_18, Some(MONDAY_9_TO_5), 1);
    let id = endpoint(&w, 1, &["escalation.opened"]);
    if let Ok(mut failing) = w.webhooks.failing.lock() {
        *failing = Some(500);
    }
    w.sms("SM1", LEAD_PHONE, HOT_TEXT);
    // The worker's schedule for deliveries: 5 s, 30 s, 2 min after each failure.
    for at in ["18:00:05", "18:00:35", "18:02:35"] {
        w.clock.set(instant(&format!("2026-11-23T{at}-07:00")));
        w.run_jobs_with(hotline_domain::work::RetryPolicy::webhook_deliveries());
    }
    if let Ok(mut failing) = w.webhooks.failing.lock() {
        *failing = None;
    }
    w.clock.set(instant("2026-11-23T18:12:35-07:00"));
    w.run_jobs_with(hotline_domain::work::RetryPolicy::webhook_deliveries());
    let log = block_on(w.store.attempts(id, 10)).unwrap_or_else(|e| panic!("{e}"));
    let tries: Vec<(u32, Option<u16>)> = log
        .iter()
        .rev()
        .map(|a| (a.attempt, a.status_code))
        .collect();
    assert_eq!(
        tries,
        [
            (1, Some(500)),
            (2, Some(500)),
            (3, Some(500)),
            (4, Some(500)),
            (5, Some(200))
        ]
    );
    assert!(
        log.iter().all(|a| a.event_id == log[0].event_id),
        "one webhook-id"
    );
}
