//! Each ring strategy's flow over the in-memory adapters: which calls,
//! in which order, after how long; availability by text; the ring plan.

use hotline_domain::routing::RoutingConfig;
use hotline_domain::routing::memory::TelephonyRequest;
use hotline_domain::routing::model::{
    CallSid, LegStatus, LegUpdate, RingGroupStatus, RingStrategyKind,
};
use hotline_domain::routing::voice::VoiceVerb;

use crate::helpers::instant;
use crate::routing_helpers::{HOT_TEXT, LEAD_PHONE, MONDAY_9_TO_5, World, block_on, phone, world};

const MONDAY_14: &str = "2026-11-23T14:00:00-07:00";
const MONDAY_18: &str = "2026-11-23T18:00:00-07:00";

fn ended(w: &World, sid: &str, status: LegStatus, sequence: u32) {
    let update = LegUpdate {
        status,
        sequence: Some(sequence),
        answered_by: None,
        duration_seconds: None,
    };
    block_on(
        w.service
            .leg_status(None, &CallSid(sid.to_owned()), &update),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    w.run_jobs();
}

/// The phones called so far, in order.
fn called(w: &World) -> Vec<String> {
    w.calls().iter().map(|c| c.to.to_string()).collect()
}

fn member_phone(w: &World, n: usize) -> String {
    w.members[n].phone.to_string()
}

#[test]
fn sequential_rings_one_phone_at_a_time_by_priority_then_escalates() {
    let w = world(MONDAY_14, Some(MONDAY_9_TO_5), 3);
    w.ring_with(RingStrategyKind::Sequential, 15, &[30, 10, 20]);
    w.sms("SM1", LEAD_PHONE, HOT_TEXT);
    assert_eq!(
        called(&w),
        [member_phone(&w, 1)],
        "priority 10 first, alone"
    );
    ended(&w, "CA1", LegStatus::NoAnswer, 3);
    assert_eq!(called(&w), [member_phone(&w, 1), member_phone(&w, 2)]);
    // A repeated callback places nothing more.
    ended(&w, "CA1", LegStatus::NoAnswer, 3);
    assert_eq!(w.calls().len(), 2);
    ended(&w, "CA2", LegStatus::Busy, 2);
    assert_eq!(
        called(&w),
        [
            member_phone(&w, 1),
            member_phone(&w, 2),
            member_phone(&w, 0)
        ]
    );
    assert!(w.texts().is_empty(), "no escalation while a phone is left");
    ended(&w, "CA3", LegStatus::NoAnswer, 3);
    w.store.snapshot(|s| {
        assert_eq!(s.ring_groups[0].status, RingGroupStatus::Exhausted);
        assert_eq!(s.escalations.len(), 1);
    });
    assert_eq!(w.texts().len(), 3, "escalated after the last");
}

#[test]
fn sequential_stops_at_the_first_acceptance() {
    let w = world(MONDAY_14, Some(MONDAY_9_TO_5), 3);
    w.ring_with(RingStrategyKind::Sequential, 15, &[1, 2, 3]);
    w.sms("SM1", LEAD_PHONE, HOT_TEXT);
    let first = w.store.snapshot(|s| s.attempts[0].id);
    let pressed = block_on(w.service.agent_pressed(first, "1")).unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(pressed.response.verbs[1], VoiceVerb::Dial { .. }));
    w.run_jobs();
    ended(&w, "CA1", LegStatus::Completed, 9);
    assert_eq!(w.calls().len(), 1, "nobody else rung");
    w.store.snapshot(|s| {
        assert_eq!(s.ring_groups[0].status, RingGroupStatus::Answered);
        assert_eq!(
            s.attempts
                .iter()
                .filter(|a| a.status == LegStatus::Canceled)
                .count(),
            2,
            "the legs never placed show as canceled"
        );
    });
}

#[test]
fn tiered_rings_each_tier_after_the_delay_and_earlier_tiers_ring_on() {
    let w = world(MONDAY_14, Some(MONDAY_9_TO_5), 3);
    w.ring_with(RingStrategyKind::Tiered, 15, &[10, 20, 10]);
    w.sms("SM1", LEAD_PHONE, HOT_TEXT);
    assert_eq!(called(&w), [member_phone(&w, 0), member_phone(&w, 2)]);
    w.clock.set(instant("2026-11-23T14:00:14-07:00"));
    w.run_jobs();
    assert_eq!(w.calls().len(), 2, "not before the delay");
    w.clock.set(instant("2026-11-23T14:00:15-07:00"));
    w.run_jobs();
    assert_eq!(
        called(&w),
        [
            member_phone(&w, 0),
            member_phone(&w, 2),
            member_phone(&w, 1)
        ]
    );
    assert!(
        !w.telephony
            .requests()
            .iter()
            .any(|r| matches!(r, TelephonyRequest::Cancel(_))),
        "tier 1 rings on"
    );
    // The window covers the last tier: 15 s + 30 s ring + 15 s grace.
    let deadline = w.store.snapshot(|s| s.ring_groups[0].deadline);
    assert_eq!(deadline, instant("2026-11-23T14:01:00-07:00"));
}

#[test]
fn tiered_places_no_later_tier_once_someone_accepted() {
    let w = world(MONDAY_14, Some(MONDAY_9_TO_5), 2);
    w.ring_with(RingStrategyKind::Tiered, 15, &[10, 20]);
    w.sms("SM1", LEAD_PHONE, HOT_TEXT);
    let first = w.store.snapshot(|s| s.attempts[0].id);
    block_on(w.service.agent_pressed(first, "1")).unwrap_or_else(|e| panic!("{e}"));
    w.clock.set(instant("2026-11-23T14:00:20-07:00"));
    w.run_jobs();
    assert_eq!(called(&w), [member_phone(&w, 0)]);
}

#[test]
fn lead_first_calls_the_lead_then_dials_every_member_at_once() {
    let w = world(MONDAY_14, Some(MONDAY_9_TO_5), 3);
    w.ring_with(RingStrategyKind::LeadFirst, 15, &[30, 10, 20]);
    w.sms("SM1", LEAD_PHONE, HOT_TEXT);
    let calls = w.calls();
    assert_eq!(calls.len(), 1, "one REST call: the lead");
    assert_eq!(calls[0].to, phone(LEAD_PHONE));
    assert_eq!(calls[0].from, w.client.twilio_number);
    assert!(calls[0].machine_detection);
    let group = w.store.snapshot(|s| s.ring_groups[0].id);
    assert!(
        calls[0]
            .answer_url
            .ends_with(&format!("/voice/lead/{group}"))
    );

    let answered =
        block_on(w.service.lead_answered(group, Some("human"))).unwrap_or_else(|e| panic!("{e}"));
    let VoiceVerb::DialNumbers { numbers, .. } = &answered.response.verbs[1] else {
        panic!("{:?}", answered.response);
    };
    let rung: Vec<&str> = numbers.iter().map(|n| n.number.as_str()).collect();
    assert_eq!(
        rung,
        [
            member_phone(&w, 1).as_str(),
            member_phone(&w, 2).as_str(),
            member_phone(&w, 0).as_str()
        ],
        "priority order"
    );
    assert_eq!(w.calls().len(), 1, "no REST call per member");
    // The whisper: pressing 1 ends it so Twilio bridges; others hang up.
    let second = w.store.snapshot(|s| s.attempts[2].id);
    let other = block_on(w.service.agent_pressed(second, "7")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(other.response.verbs, [VoiceVerb::Hangup]);
    let first = w.store.snapshot(|s| s.attempts[0].id);
    let won = block_on(w.service.agent_pressed(first, "1")).unwrap_or_else(|e| panic!("{e}"));
    assert!(won.response.verbs.is_empty(), "{:?}", won.response);
    assert_eq!(
        w.store.snapshot(|s| s.ring_groups[0].status),
        RingGroupStatus::Answered
    );
    let done = block_on(w.service.lead_dial_finished(group, "completed"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(done.response.verbs, [VoiceVerb::Hangup]);
    assert!(w.store.snapshot(|s| s.escalations.is_empty()));
}

#[test]
fn lead_first_escalates_a_machine_an_unanswered_call_or_an_empty_dial() {
    for outcome in ["machine", "no-answer", "dial-no-answer"] {
        let w = world(MONDAY_14, Some(MONDAY_9_TO_5), 2);
        w.ring_with(RingStrategyKind::LeadFirst, 15, &[1, 2]);
        w.sms("SM1", LEAD_PHONE, HOT_TEXT);
        let group = w.store.snapshot(|s| s.ring_groups[0].id);
        match outcome {
            "machine" => {
                let handled = block_on(w.service.lead_answered(group, Some("machine_start")))
                    .unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(handled.response.verbs, [VoiceVerb::Hangup]);
            }
            "no-answer" => {
                block_on(w.service.lead_call_status(group, "no-answer"))
                    .unwrap_or_else(|e| panic!("{e}"));
            }
            _ => {
                block_on(w.service.lead_answered(group, None)).unwrap_or_else(|e| panic!("{e}"));
                let handled = block_on(w.service.lead_dial_finished(group, "no-answer"))
                    .unwrap_or_else(|e| panic!("{e}"));
                assert!(
                    matches!(&handled.response.verbs[0], VoiceVerb::Say(t) if t.contains("call you back")),
                    "{:?}",
                    handled.response
                );
            }
        }
        w.run_jobs();
        w.store.snapshot(|s| {
            assert_eq!(
                s.ring_groups[0].status,
                RingGroupStatus::Exhausted,
                "{outcome}"
            );
            assert_eq!(s.escalations.len(), 1, "{outcome}");
        });
        assert_eq!(w.texts().len(), 2, "{outcome}: the team is texted");
        assert_eq!(w.calls().len(), 1, "{outcome}: only the lead was called");
    }
}

#[test]
fn a_member_off_duty_is_neither_rung_nor_texted_until_back() {
    let w = world(MONDAY_14, Some(MONDAY_9_TO_5), 3);
    let away = w.sms("SM1", w.members[0].phone.as_str(), "  away ");
    assert!(
        away.reply
            .message
            .as_deref()
            .is_some_and(|m| m.contains("off duty")),
        "{:?}",
        away.reply
    );
    w.sms("SM2", LEAD_PHONE, HOT_TEXT);
    assert!(!called(&w).contains(&member_phone(&w, 0)));
    assert_eq!(w.calls().len(), 2);
    // After hours, the escalation texts skip them too.
    w.clock.set(instant(MONDAY_18));
    w.sms("SM3", "+14035550199", HOT_TEXT);
    let texted: Vec<String> = w.texts().iter().map(|(to, _)| to.to_string()).collect();
    assert!(!texted.contains(&member_phone(&w, 0)), "{texted:?}");
    let back = w.sms("SM4", w.members[0].phone.as_str(), "BACK");
    assert!(
        back.reply
            .message
            .as_deref()
            .is_some_and(|m| m.contains("back on duty"))
    );
    assert!(w.store.snapshot(|s| s.team[0].available));
}

#[test]
fn the_ring_plan_includes_pacing_and_warns() {
    let w = world(MONDAY_14, Some(MONDAY_9_TO_5), 3);
    let paced = w.service_with(RoutingConfig {
        calls_per_second: 1.0,
        ..RoutingConfig::default()
    });
    let admin = hotline_domain::admin::Principal::SuperAdmin;
    let plan = block_on(paced.ring_plan_as(&admin, w.client.id)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(plan.strategy, "simultaneous");
    let starts: Vec<f64> = plan.legs.iter().map(|l| l.starts_after_seconds).collect();
    assert_eq!(starts, [0.0, 1.0, 2.0]);
    assert_eq!(plan.warnings.len(), 1, "{:?}", plan.warnings);

    w.ring_with(RingStrategyKind::LeadFirst, 15, &[1, 2, 3]);
    let plan = block_on(paced.ring_plan_as(&admin, w.client.id)).unwrap_or_else(|e| panic!("{e}"));
    assert!(plan.legs.iter().all(|l| l.starts_after_seconds == 0.0));
    assert!(plan.warnings.is_empty(), "{:?}", plan.warnings);

    w.ring_with(RingStrategyKind::Tiered, 15, &[1, 1, 2]);
    let plan = block_on(paced.ring_plan_as(&admin, w.client.id)).unwrap_or_else(|e| panic!("{e}"));
    let tiers: Vec<(u32, f64)> = plan
        .legs
        .iter()
        .map(|l| (l.tier, l.starts_after_seconds))
        .collect();
    assert_eq!(tiers, [(1, 0.0), (1, 1.0), (2, 15.0)]);

    if let Ok(mut state) = w.store.state.lock() {
        for member in &mut state.team {
            member.available = false;
        }
    }
    let plan = block_on(paced.ring_plan_as(&admin, w.client.id)).unwrap_or_else(|e| panic!("{e}"));
    assert!(plan.legs.is_empty());
    assert!(
        plan.warnings[0].contains("No team member"),
        "{:?}",
        plan.warnings
    );
}

#[test]
fn a_member_who_goes_away_while_a_sequence_rings_is_skipped_not_rung() {
    let w = world(MONDAY_14, Some(MONDAY_9_TO_5), 3);
    w.ring_with(RingStrategyKind::Sequential, 15, &[1, 2, 3]);
    w.sms("SM1", LEAD_PHONE, HOT_TEXT);
    assert_eq!(called(&w), [member_phone(&w, 0)]);
    // The first member's phone rings; the second texts AWAY meanwhile.
    w.sms("SM2", w.members[1].phone.as_str(), "AWAY");
    // The ringing leg may finish; the next phone is the third, not the second.
    ended(&w, "CA1", LegStatus::NoAnswer, 3);
    assert_eq!(called(&w), [member_phone(&w, 0), member_phone(&w, 2)]);
    ended(&w, "CA2", LegStatus::NoAnswer, 3);
    w.store.snapshot(|s| {
        assert_eq!(s.ring_groups[0].status, RingGroupStatus::Exhausted);
        assert_eq!(s.attempts[1].status, LegStatus::Canceled);
    });
    // The escalation texts skip the member off duty.
    assert_eq!(w.texts().len(), 2);
}

#[test]
fn a_sequential_leg_twilio_refuses_moves_on_to_the_next_phone() {
    let w = world(MONDAY_14, Some(MONDAY_9_TO_5), 2);
    w.ring_with(RingStrategyKind::Sequential, 15, &[1, 2]);
    if let Ok(mut failing) = w.telephony.failing_numbers.lock() {
        failing.insert(w.members[0].phone.clone());
    }
    w.sms("SM1", LEAD_PHONE, HOT_TEXT);
    assert_eq!(called(&w), [member_phone(&w, 0), member_phone(&w, 1)]);
}
