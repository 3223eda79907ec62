//! What the policy reports for metrics (`RoutingObserver`): speed to lead
//! once per ring group, and each group's outcome once, however often
//! Twilio repeats a webhook.

use std::sync::{Arc, Mutex};

use hotline_domain::routing::InboundSms;
use hotline_domain::routing::model::MessageSid;
use hotline_domain::routing::ports::{Clock, RingGroupOutcome, RoutingObserver};
use jiff::SignedDuration;

use crate::helpers::instant;
use crate::routing_helpers::{HOT_TEXT, LEAD_PHONE, MONDAY_9_TO_5, World, block_on, phone, world};

#[derive(Default)]
struct Recorded {
    first_calls: Mutex<Vec<SignedDuration>>,
    endings: Mutex<Vec<RingGroupOutcome>>,
}

impl RoutingObserver for Recorded {
    fn first_call_placed(&self, since_sms: SignedDuration) {
        if let Ok(mut calls) = self.first_calls.lock() {
            calls.push(since_sms);
        }
    }

    fn ring_group_ended(&self, outcome: RingGroupOutcome) {
        if let Ok(mut endings) = self.endings.lock() {
            endings.push(outcome);
        }
    }
}

impl Recorded {
    fn first_calls(&self) -> Vec<SignedDuration> {
        self.first_calls
            .lock()
            .map(|c| c.clone())
            .unwrap_or_default()
    }

    fn endings(&self) -> Vec<RingGroupOutcome> {
        self.endings.lock().map(|e| e.clone()).unwrap_or_default()
    }
}

/// Monday 14:00, open, two agents, observed.
fn observed_world() -> (World, Arc<Recorded>) {
    let mut w = world("2026-11-23T14:00:00-07:00", Some(MONDAY_9_TO_5), 2);
    let recorded = Arc::new(Recorded::default());
    w.service = w.service.clone().with_observer(recorded.clone());
    (w, recorded)
}

/// The hot SMS handled; its jobs run `later` after it arrived.
fn hot_sms_then_jobs_after(w: &World, later: SignedDuration) {
    let sms = InboundSms {
        sid: MessageSid("SM1".to_owned()),
        from: phone(LEAD_PHONE),
        to: w.client.twilio_number.clone(),
        body: HOT_TEXT.to_owned(),
    };
    block_on(w.service.inbound_sms(&sms)).unwrap_or_else(|e| panic!("{e}"));
    w.clock.set(
        w.clock
            .now()
            .checked_add(later)
            .unwrap_or_else(|e| panic!("{e}")),
    );
    w.run_jobs();
}

#[test]
fn speed_to_lead_is_reported_once_per_group_from_the_sms_to_its_first_call() {
    let (w, recorded) = observed_world();
    hot_sms_then_jobs_after(&w, SignedDuration::from_millis(1_500));
    assert_eq!(w.calls().len(), 2);
    assert_eq!(
        recorded.first_calls(),
        [SignedDuration::from_millis(1_500)],
        "two calls, one group: one measurement"
    );
    assert!(recorded.endings().is_empty(), "still ringing");
}

#[test]
fn an_acceptance_is_counted_once_however_often_it_is_pressed() {
    let (w, recorded) = observed_world();
    hot_sms_then_jobs_after(&w, SignedDuration::ZERO);
    let attempts = w.store.snapshot(|s| s.attempts.clone());
    for attempt in [&attempts[0], &attempts[0], &attempts[1]] {
        block_on(w.service.agent_pressed(attempt.id, "1")).unwrap_or_else(|e| panic!("{e}"));
    }
    w.run_jobs();
    assert_eq!(recorded.endings(), [RingGroupOutcome::Accepted]);
}

#[test]
fn a_group_nobody_accepts_is_counted_unanswered_once() {
    let (w, recorded) = observed_world();
    hot_sms_then_jobs_after(&w, SignedDuration::ZERO);
    w.clock.set(instant("2026-11-23T14:10:00-07:00"));
    w.run_jobs();
    w.run_jobs();
    assert_eq!(recorded.endings(), [RingGroupOutcome::Unanswered]);
}

#[test]
fn an_opt_out_while_ringing_is_counted_as_ended() {
    let (w, recorded) = observed_world();
    hot_sms_then_jobs_after(&w, SignedDuration::ZERO);
    w.sms("SM2", LEAD_PHONE, "STOP");
    assert_eq!(recorded.endings(), [RingGroupOutcome::Ended]);
}
