//! The hot-transfer policy end to end over in-memory adapters, including
//! the seed's three testing-guide scenarios with a fixed clock.

use hotline_domain::routing::memory::TelephonyRequest;
use hotline_domain::routing::model::{
    CallSid, EscalationReason, LeadStatus, LegStatus, LegUpdate, RingGroupStatus, RoutingOutcome,
};
use hotline_domain::routing::voice::VoiceVerb;
use hotline_domain::routing::{FollowUp, RoutingError};
use hotline_domain::work::JobOutcome;

use crate::routing_helpers::{
    CLIENT_NUMBER, HOT_TEXT, LEAD_PHONE, MONDAY_9_TO_5, World, block_on, phone, world,
};

const MONDAY_14: &str = "2026-11-23T14:00:00-07:00";
const MONDAY_18: &str = "2026-11-23T18:00:00-07:00";

fn update(status: LegStatus, sequence: u32) -> LegUpdate {
    LegUpdate {
        status,
        sequence: Some(sequence),
        answered_by: None,
        duration_seconds: None,
    }
}

fn callback(w: &World, sid: &str, status: LegStatus, sequence: u32) {
    block_on(
        w.service
            .leg_status(None, &CallSid(sid.to_owned()), &update(status, sequence)),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    w.run_jobs();
}

fn outcomes(w: &World) -> Vec<RoutingOutcome> {
    w.store
        .snapshot(|s| s.decisions.iter().map(|d| d.outcome).collect())
}

#[test]
fn monday_14_00_rings_the_group_and_records_attempts() {
    let w = world(MONDAY_14, Some(MONDAY_9_TO_5), 3);
    let handled = w.sms("SM1", LEAD_PHONE, HOT_TEXT);
    assert_eq!(handled.reply.message, None);
    assert_eq!(outcomes(&w), [RoutingOutcome::RingGroup]);
    let calls = w.calls();
    assert_eq!(calls.len(), 3);
    for (call, member) in calls.iter().zip(&w.members) {
        assert_eq!(call.to, member.phone);
        assert_eq!(call.from, phone(CLIENT_NUMBER));
        assert_eq!(call.timeout_seconds, 30);
        assert_eq!(
            call.status_callback_url,
            format!(
                "https://hotline.test/api/webhook/ring-group?attempt={}",
                w.store
                    .snapshot(|s| s
                        .attempts
                        .iter()
                        .find(|a| a.phone == member.phone)
                        .map(|a| a.id))
                    .map(|id| id.to_string())
                    .unwrap_or_default()
            )
        );
    }
    w.store.snapshot(|s| {
        assert_eq!(s.attempts.len(), 3);
        assert!(
            s.attempts
                .iter()
                .all(|a| a.status == LegStatus::Queued && a.call_sid.is_some())
        );
        assert_eq!(s.leads[0].status, LeadStatus::Ringing);
        assert!(s.escalations.is_empty());
    });
}

#[test]
fn monday_18_00_escalates_with_a_claim_and_an_auto_reply() {
    let w = world(MONDAY_18, Some(MONDAY_9_TO_5), 2);
    let handled = w.sms("SM1", LEAD_PHONE, HOT_TEXT);
    assert_eq!(
        handled.reply.message.as_deref(),
        Some("We're closed now and open Monday at 9:00 AM.")
    );
    assert!(w.calls().is_empty());
    assert_eq!(outcomes(&w), [RoutingOutcome::EscalatedClosed]);
    w.store.snapshot(|s| {
        assert_eq!(s.escalations.len(), 1);
        assert_eq!(s.escalations[0].reason, EscalationReason::OutOfHours);
        assert_eq!(s.escalations[0].claimed_by, None);
        assert_eq!(
            s.decisions[0].next_open.map(|t| t.to_string()).as_deref(),
            Some("2026-11-30T16:00:00Z")
        );
    });
    let texts = w.texts();
    assert_eq!(texts.len(), 2);
    assert!(
        texts
            .iter()
            .all(|(_, body)| body.contains("Reply CLAIM 0142")),
        "{texts:?}"
    );
}

#[test]
fn an_agent_accepting_wins_is_bridged_and_the_other_legs_end() {
    let w = world(MONDAY_14, Some(MONDAY_9_TO_5), 3);
    w.sms("SM1", LEAD_PHONE, HOT_TEXT);
    let attempts = w.store.snapshot(|s| s.attempts.clone());
    callback(&w, "CA1", LegStatus::Ringing, 1);
    callback(&w, "CA2", LegStatus::InProgress, 2);
    callback(&w, "CA3", LegStatus::Ringing, 1);

    let answered = block_on(w.service.leg_answered(attempts[1].id, Some("human")))
        .unwrap_or_else(|e| panic!("{e}"));
    let VoiceVerb::Gather {
        num_digits, prompt, ..
    } = &answered.response.verbs[0]
    else {
        panic!("expected a gather, got {:?}", answered.response);
    };
    assert_eq!(*num_digits, 1);
    assert!(
        prompt.iter().any(|p| p.contains("Water pouring")),
        "{prompt:?}"
    );

    let accepted =
        block_on(w.service.agent_pressed(attempts[1].id, "1")).unwrap_or_else(|e| panic!("{e}"));
    let dial = accepted.response.verbs.iter().find_map(|v| match v {
        VoiceVerb::Dial {
            number, caller_id, ..
        } => Some((number.clone(), caller_id.clone())),
        _ => None,
    });
    assert_eq!(
        dial,
        Some((LEAD_PHONE.to_owned(), CLIENT_NUMBER.to_owned()))
    );
    w.run_jobs();

    let ended: Vec<TelephonyRequest> = w
        .telephony
        .requests()
        .into_iter()
        .filter(|r| {
            matches!(
                r,
                TelephonyRequest::Cancel(_) | TelephonyRequest::Complete(_)
            )
        })
        .collect();
    assert_eq!(
        ended,
        [
            TelephonyRequest::Cancel(CallSid("CA1".into())),
            TelephonyRequest::Cancel(CallSid("CA3".into()))
        ]
    );
    w.store.snapshot(|s| {
        assert!(s.attempts[1].answered && s.attempts[1].transferred_to_agent);
        assert!(!s.attempts[0].answered && !s.attempts[2].answered);
        assert_eq!(s.ring_groups[0].status, RingGroupStatus::Answered);
        assert_eq!(s.leads[0].status, LeadStatus::Connected);
    });
}

#[test]
fn a_second_acceptance_hears_the_lead_was_taken_and_answered_legs_are_completed() {
    let w = world(MONDAY_14, Some(MONDAY_9_TO_5), 2);
    w.sms("SM1", LEAD_PHONE, HOT_TEXT);
    let attempts = w.store.snapshot(|s| s.attempts.clone());
    callback(&w, "CA1", LegStatus::InProgress, 2);
    callback(&w, "CA2", LegStatus::InProgress, 2);
    let first =
        block_on(w.service.agent_pressed(attempts[0].id, "1")).unwrap_or_else(|e| panic!("{e}"));
    let second =
        block_on(w.service.agent_pressed(attempts[1].id, "1")).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        first
            .response
            .verbs
            .iter()
            .any(|v| matches!(v, VoiceVerb::Dial { .. }))
    );
    assert!(
        matches!(&second.response.verbs[0], VoiceVerb::Say(text) if text.contains("already took"))
    );
    w.run_jobs();
    assert!(
        w.telephony
            .requests()
            .contains(&TelephonyRequest::Complete(CallSid("CA2".into())))
    );
    let late = block_on(w.service.leg_answered(attempts[1].id, Some("human")))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        matches!(&late.response.verbs[0], VoiceVerb::Say(text) if text.contains("already took"))
    );
}

#[test]
fn pressing_1_after_the_group_timed_out_hears_it_was_too_late_not_that_someone_took_it() {
    let w = world(MONDAY_14, Some(MONDAY_9_TO_5), 2);
    w.sms("SM1", LEAD_PHONE, HOT_TEXT);
    let (group, attempt) = w
        .store
        .snapshot(|s| (s.ring_groups[0].id, s.attempts[0].id));
    w.clock
        .set(crate::helpers::instant("2026-11-23T14:05:00-07:00"));
    block_on(w.service.ring_group_timed_out(group)).unwrap_or_else(|e| panic!("{e}"));
    w.run_jobs();
    let late = block_on(w.service.agent_pressed(attempt, "1")).unwrap_or_else(|e| panic!("{e}"));
    let VoiceVerb::Say(text) = &late.response.verbs[0] else {
        panic!("{:?}", late.response);
    };
    assert!(text.contains("not accepted in time"), "{text}");
    assert!(!text.contains("already took"), "{text}");
    assert!(late.follow_ups.is_empty());
}

#[test]
fn a_lead_who_texts_stop_while_the_phones_ring_is_not_escalated_to_the_team_by_text() {
    let w = world(MONDAY_14, Some(MONDAY_9_TO_5), 2);
    w.sms("SM1", LEAD_PHONE, HOT_TEXT);
    w.sms("SM2", LEAD_PHONE, "STOP");
    w.clock
        .set(crate::helpers::instant("2026-11-23T14:05:00-07:00"));
    w.run_jobs();
    assert!(w.texts().is_empty(), "{:?}", w.texts());
}

#[test]
fn stop_while_the_phones_ring_ends_the_group_at_once_without_escalation() {
    let w = world(MONDAY_14, Some(MONDAY_9_TO_5), 2);
    w.sms("SM1", LEAD_PHONE, HOT_TEXT);
    callback(&w, "CA2", LegStatus::InProgress, 2);
    w.sms("SM2", LEAD_PHONE, "STOP");
    let ended: Vec<TelephonyRequest> = w
        .telephony
        .requests()
        .into_iter()
        .filter(|r| {
            matches!(
                r,
                TelephonyRequest::Cancel(_) | TelephonyRequest::Complete(_)
            )
        })
        .collect();
    assert_eq!(
        ended,
        [
            TelephonyRequest::Cancel(CallSid("CA1".into())),
            TelephonyRequest::Complete(CallSid("CA2".into()))
        ]
    );
    w.store.snapshot(|s| {
        assert_eq!(s.ring_groups[0].status, RingGroupStatus::Exhausted);
        assert!(s.escalations.is_empty());
    });
    // Nothing later reopens it: the deadline and a late leg end quietly.
    w.clock
        .set(crate::helpers::instant("2026-11-23T14:05:00-07:00"));
    let group = w.store.snapshot(|s| s.ring_groups[0].id);
    let timed_out =
        block_on(w.service.ring_group_timed_out(group)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(timed_out, JobOutcome::Done);
    w.run_jobs();
    callback(&w, "CA1", LegStatus::Canceled, 3);
    assert!(w.store.snapshot(|s| s.escalations.is_empty()));
    assert!(w.texts().is_empty(), "{:?}", w.texts());
}

#[test]
fn voicemail_cannot_accept_and_other_digits_do_not_accept() {
    let w = world(MONDAY_14, Some(MONDAY_9_TO_5), 1);
    w.sms("SM1", LEAD_PHONE, HOT_TEXT);
    let attempt = w.store.snapshot(|s| s.attempts[0].id);
    let machine = block_on(w.service.leg_answered(attempt, Some("machine_end_beep")))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(machine.response.verbs, [VoiceVerb::Hangup]);
    let pressed_2 =
        block_on(w.service.agent_pressed(attempt, "2")).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        !pressed_2
            .response
            .verbs
            .iter()
            .any(|v| matches!(v, VoiceVerb::Dial { .. }))
    );
    assert_eq!(w.store.snapshot(|s| s.ring_groups[0].winner), None);
}

#[test]
fn duplicate_and_reordered_callbacks_only_move_legs_forward() {
    let w = world(MONDAY_14, Some(MONDAY_9_TO_5), 2);
    w.sms("SM1", LEAD_PHONE, HOT_TEXT);
    callback(&w, "CA1", LegStatus::InProgress, 2);
    callback(&w, "CA1", LegStatus::Ringing, 1);
    callback(&w, "CA1", LegStatus::Initiated, 0);
    callback(&w, "CA1", LegStatus::InProgress, 2);
    assert_eq!(
        w.store.snapshot(|s| s.attempts[0].status),
        LegStatus::InProgress
    );
    callback(&w, "CA1", LegStatus::Completed, 3);
    callback(&w, "CA1", LegStatus::Ringing, 1);
    assert_eq!(
        w.store.snapshot(|s| s.attempts[0].status),
        LegStatus::Completed
    );
    assert!(!LegStatus::Completed.can_advance_to(LegStatus::Canceled));
}

#[test]
fn all_legs_busy_no_answer_or_failed_escalates_exactly_once() {
    let w = world(MONDAY_14, Some(MONDAY_9_TO_5), 3);
    w.sms("SM1", LEAD_PHONE, HOT_TEXT);
    callback(&w, "CA1", LegStatus::Busy, 1);
    callback(&w, "CA2", LegStatus::NoAnswer, 3);
    assert!(w.store.snapshot(|s| s.escalations.is_empty()));
    callback(&w, "CA3", LegStatus::Failed, 1);
    callback(&w, "CA3", LegStatus::Failed, 1);
    callback(&w, "CA2", LegStatus::NoAnswer, 3);
    w.store.snapshot(|s| {
        assert_eq!(s.escalations.len(), 1);
        assert_eq!(s.escalations[0].reason, EscalationReason::NoAnswer);
        assert_eq!(s.ring_groups[0].status, RingGroupStatus::Exhausted);
    });
    assert_eq!(w.texts().len(), 3);
    let timed_out = block_on(
        w.service
            .ring_group_timed_out(w.store.snapshot(|s| s.ring_groups[0].id)),
    );
    assert_eq!(timed_out, Ok(JobOutcome::Done));
    assert_eq!(w.run_jobs(), []);
}

#[test]
fn a_timeout_with_no_callbacks_escalates_exactly_once() {
    let w = world(MONDAY_14, Some(MONDAY_9_TO_5), 2);
    w.sms("SM1", LEAD_PHONE, HOT_TEXT);
    let group = w.store.snapshot(|s| s.ring_groups[0].id);
    w.clock
        .set(crate::helpers::instant("2026-11-23T14:00:44-07:00"));
    assert_eq!(w.run_jobs(), []);
    assert_eq!(
        block_on(w.service.ring_group_timed_out(group)),
        Ok(JobOutcome::Later(crate::helpers::instant(
            "2026-11-23T14:00:45-07:00"
        )))
    );
    w.clock
        .set(crate::helpers::instant("2026-11-23T14:00:45-07:00"));
    // The deadline is a stored job: it fires once due.
    let ran = w.run_jobs();
    assert!(
        ran.iter()
            .any(|(work, _)| matches!(work, FollowUp::RingDeadline { .. })),
        "{ran:?}"
    );
    assert_eq!(
        block_on(w.service.ring_group_timed_out(group)),
        Ok(JobOutcome::Done)
    );
    w.store.snapshot(|s| {
        assert_eq!(s.escalations.len(), 1);
        assert_eq!(s.ring_groups[0].status, RingGroupStatus::Exhausted);
    });
    let cancels = w
        .telephony
        .requests()
        .into_iter()
        .filter(|r| matches!(r, TelephonyRequest::Cancel(_)))
        .count();
    assert_eq!(cancels, 2);
}

#[test]
fn calls_that_cannot_be_placed_fall_back_to_escalation() {
    let w = world(MONDAY_14, Some(MONDAY_9_TO_5), 2);
    if let Ok(mut failing) = w.telephony.failing_numbers.lock() {
        failing.extend(w.members.iter().map(|m| m.phone.clone()));
    }
    w.sms("SM1", LEAD_PHONE, HOT_TEXT);
    w.store.snapshot(|s| {
        assert!(s.attempts.iter().all(|a| a.status == LegStatus::Failed));
        assert_eq!(s.escalations.len(), 1);
    });
}

#[test]
fn no_team_member_to_ring_escalates_at_once() {
    let w = world(MONDAY_14, Some(MONDAY_9_TO_5), 0);
    w.sms("SM1", LEAD_PHONE, HOT_TEXT);
    assert!(w.calls().is_empty());
    assert_eq!(outcomes(&w), [RoutingOutcome::EscalatedNoTeam]);
    assert_eq!(
        w.store.snapshot(|s| s.escalations[0].reason),
        EscalationReason::NoTeam
    );
}

#[test]
fn a_second_sms_while_ringing_starts_no_second_group_and_retries_are_processed_once() {
    let w = world(MONDAY_14, Some(MONDAY_9_TO_5), 2);
    w.sms("SM1", LEAD_PHONE, HOT_TEXT);
    w.sms("SM1", LEAD_PHONE, HOT_TEXT);
    w.sms("SM2", LEAD_PHONE, "hello?? please call me asap");
    assert_eq!(
        outcomes(&w),
        [RoutingOutcome::RingGroup, RoutingOutcome::AlreadyRinging]
    );
    assert_eq!(w.calls().len(), 2);
    w.store.snapshot(|s| {
        assert_eq!(s.messages.len(), 2);
        assert_eq!(s.ring_groups.len(), 1);
    });
}

#[test]
fn retries_of_an_out_of_hours_message_repeat_the_same_reply() {
    let w = world(MONDAY_18, Some(MONDAY_9_TO_5), 2);
    let first = w.sms("SM1", LEAD_PHONE, HOT_TEXT);
    let again = w.sms("SM1", LEAD_PHONE, HOT_TEXT);
    assert_eq!(first.reply, again.reply);
    assert_eq!(w.texts().len(), 2);
}

#[test]
fn not_hot_messages_are_stored_with_their_score_and_nothing_else() {
    let w = world(MONDAY_14, Some(MONDAY_9_TO_5), 2);
    let handled = w.sms(
        "SM1",
        LEAD_PHONE,
        "how much for a furnace tune-up next spring?",
    );
    assert_eq!(handled.reply.message, None);
    assert_eq!(outcomes(&w), [RoutingOutcome::NotHot]);
    assert!(w.telephony.requests().is_empty());
    w.store
        .snapshot(|s| assert!(s.decisions[0].assessment.score.value() <= 0.7));
}

#[test]
fn an_opted_out_lead_is_never_called_or_texted_again() {
    let w = world(MONDAY_14, Some(MONDAY_9_TO_5), 2);
    let stop = w.sms("SM1", LEAD_PHONE, "STOP");
    assert_eq!(stop.reply.message, None);
    let later = w.sms("SM2", LEAD_PHONE, HOT_TEXT);
    assert_eq!(later.reply.message, None);
    assert_eq!(
        outcomes(&w),
        [RoutingOutcome::OptedOut, RoutingOutcome::LeadOptedOut]
    );
    assert!(w.telephony.requests().is_empty());
    assert!(w.store.snapshot(|s| s.leads[0].opted_out));
}

#[test]
fn the_first_claim_wins_and_the_others_are_told() {
    let w = world(MONDAY_18, Some(MONDAY_9_TO_5), 3);
    w.sms("SM1", LEAD_PHONE, HOT_TEXT);
    let escalation = w.store.snapshot(|s| s.escalations[0].id);
    block_on(w.service.claim_escalation(escalation, w.members[1].id))
        .unwrap_or_else(|e| panic!("{e}"));
    let second = block_on(w.service.claim_escalation(escalation, w.members[0].id));
    assert_eq!(second, Err(RoutingError::AlreadyClaimed(w.members[1].id)));
    w.run_jobs();
    let told: Vec<_> = w
        .texts()
        .into_iter()
        .filter(|(_, body)| body.contains("claimed"))
        .collect();
    assert_eq!(told.len(), 2);
    assert!(
        told.iter()
            .all(|(to, body)| to != &w.members[1].phone && body.contains("Agent 2"))
    );
    assert_eq!(w.store.snapshot(|s| s.leads[0].status), LeadStatus::Claimed);
}

#[test]
fn a_team_member_claims_by_sms_reply_once() {
    let w = world(MONDAY_18, Some(MONDAY_9_TO_5), 2);
    w.sms("SM1", LEAD_PHONE, HOT_TEXT);
    let member_phone = w.members[0].phone.to_string();
    let other_phone = w.members[1].phone.to_string();
    let claimed = w.sms("SM2", &member_phone, "claim 0142");
    assert!(
        claimed
            .reply
            .message
            .as_deref()
            .is_some_and(|m| m.contains("is yours")),
        "{claimed:?}"
    );
    let repeat = w.sms("SM2", &member_phone, "claim 0142");
    assert_eq!(repeat.reply.message, None);
    let late = w.sms("SM3", &other_phone, "CLAIM");
    assert!(
        late.reply
            .message
            .as_deref()
            .is_some_and(|m| m.contains("no open lead")),
        "{late:?}"
    );
    assert_eq!(
        w.store.snapshot(|s| s.escalations[0].claimed_by),
        Some(w.members[0].id)
    );
    assert_eq!(outcomes(&w).len(), 1, "team replies are not lead messages");
}

#[test]
fn friday_overnight_shift_rings_on_saturday_at_03_00() {
    let overnight = r#"{"timezone": "America/Edmonton",
        "hours": [{"day_of_week": 5, "start_time": "20:00", "end_time": "08:00"}]}"#;
    let w = world("2026-11-28T03:00:00-07:00", Some(overnight), 2);
    w.sms("SM1", LEAD_PHONE, HOT_TEXT);
    assert_eq!(outcomes(&w), [RoutingOutcome::RingGroup]);
    assert_eq!(w.calls().len(), 2);
}

#[test]
fn booking_an_appointment_marks_the_lead() {
    let w = world(MONDAY_14, Some(MONDAY_9_TO_5), 1);
    w.sms("SM1", LEAD_PHONE, HOT_TEXT);
    let lead = w.store.snapshot(|s| s.leads[0].id);
    assert_eq!(block_on(w.service.appointment_booked(lead)), Ok(()));
    assert_eq!(w.store.snapshot(|s| s.leads[0].status), LeadStatus::Booked);
}

fn inbound_only(w: &World, sid: &str, body: &str) -> hotline_domain::routing::SmsHandled {
    let sms = hotline_domain::routing::InboundSms {
        sid: hotline_domain::routing::model::MessageSid(sid.to_owned()),
        from: phone(LEAD_PHONE),
        to: phone(CLIENT_NUMBER),
        body: body.to_owned(),
    };
    block_on(w.service.inbound_sms(&sms)).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_retry_after_a_crash_before_the_decision_still_places_the_calls() {
    let w = world(MONDAY_14, Some(MONDAY_9_TO_5), 2);
    let first = inbound_only(&w, "SM1", HOT_TEXT);
    // The group's calls and its deadline, stored with it.
    assert_eq!(first.follow_ups.len(), 2);
    // The process died before recording the decision and placing calls.
    if let Ok(mut state) = w.store.state.lock() {
        state.decisions.clear();
    }
    let retry = inbound_only(&w, "SM1", HOT_TEXT);
    assert!(retry.follow_ups.is_empty());
    w.run_jobs();
    assert_eq!(w.calls().len(), 2);
    assert_eq!(outcomes(&w), [RoutingOutcome::AlreadyRinging]);
    assert_eq!(w.store.snapshot(|s| s.ring_groups.len()), 1);
}

#[test]
fn a_callback_that_beats_the_create_answer_is_applied_by_attempt_id() {
    let w = world(MONDAY_14, Some(MONDAY_9_TO_5), 1);
    inbound_only(&w, "SM1", HOT_TEXT);
    let attempt = w.store.snapshot(|s| s.attempts[0].id);
    block_on(w.service.leg_status(
        Some(attempt),
        &CallSid("CA77".into()),
        &update(LegStatus::Busy, 2),
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    w.run_jobs();
    w.store.snapshot(|s| {
        assert_eq!(s.attempts[0].call_sid, Some(CallSid("CA77".into())));
        assert_eq!(s.attempts[0].status, LegStatus::Busy);
        assert_eq!(s.escalations.len(), 1);
    });
}

#[test]
fn an_agent_cannot_be_bridged_to_a_lead_who_opted_out_while_ringing() {
    let w = world(MONDAY_14, Some(MONDAY_9_TO_5), 1);
    w.sms("SM1", LEAD_PHONE, HOT_TEXT);
    w.sms("SM2", LEAD_PHONE, "STOP");
    let attempt = w.store.snapshot(|s| s.attempts[0].id);
    let pressed = block_on(w.service.agent_pressed(attempt, "1")).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        !pressed
            .response
            .verbs
            .iter()
            .any(|v| matches!(v, VoiceVerb::Dial { .. }))
    );
}

#[test]
fn the_timeout_waits_for_an_agent_still_on_the_line() {
    let w = world(MONDAY_14, Some(MONDAY_9_TO_5), 2);
    w.sms("SM1", LEAD_PHONE, HOT_TEXT);
    callback(&w, "CA1", LegStatus::InProgress, 2);
    let group = w.store.snapshot(|s| s.ring_groups[0].id);
    w.clock
        .set(crate::helpers::instant("2026-11-23T14:01:00-07:00"));
    assert_eq!(
        block_on(w.service.ring_group_timed_out(group)),
        Ok(JobOutcome::Later(crate::helpers::instant(
            "2026-11-23T14:01:15-07:00"
        )))
    );
    assert_eq!(
        w.store.snapshot(|s| s.ring_groups[0].status),
        RingGroupStatus::Ringing
    );
    w.clock
        .set(crate::helpers::instant("2026-11-23T14:01:15-07:00"));
    let timed_out =
        block_on(w.service.ring_group_timed_out(group)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(timed_out, JobOutcome::Done);
    w.run_jobs();
    assert!(
        w.telephony
            .requests()
            .contains(&TelephonyRequest::Complete(CallSid("CA1".into())))
    );
}

#[test]
fn a_lead_who_opts_out_closes_their_open_escalation_so_nobody_can_claim_it() {
    let w = world(MONDAY_18, Some(MONDAY_9_TO_5), 2);
    w.sms("SM1", LEAD_PHONE, HOT_TEXT);
    assert_eq!(w.texts().len(), 2, "the team was texted");
    w.sms("SM2", LEAD_PHONE, "STOP");
    let open = block_on(
        hotline_domain::routing::ports::EscalationStore::open_escalations(&*w.store, w.client.id),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(open.is_empty(), "{open:?}");
    let reply = w.sms("SM3", w.members[0].phone.as_str(), "CLAIM");
    assert_eq!(
        reply.reply.message.as_deref(),
        Some("Hotline: no open lead to claim.")
    );
    let escalation = w.store.snapshot(|s| s.escalations[0].id);
    let claimed = block_on(w.service.claim_escalation(escalation, w.members[0].id));
    assert!(
        matches!(
            claimed,
            Err(RoutingError::Store(
                hotline_domain::routing::ports::StoreError::NotFound(_)
            ))
        ),
        "{claimed:?}"
    );
}
