//! Following a lead through (CONTRACT section 9) over the in-memory
//! adapters: the acknowledgement reply, the text to a lead nobody took,
//! the reminder and the manager's text at their times, and nothing after
//! a claim or to a lead who opted out.

use hotline_domain::routing::model::{CallSid, FollowThrough, LegStatus, LegUpdate};

use crate::helpers::instant;
use crate::routing_helpers::{HOT_TEXT, LEAD_PHONE, MONDAY_9_TO_5, World, block_on, phone, world};

const MONDAY_14: &str = "2026-11-23T14:00:00-07:00";
const MONDAY_18: &str = "2026-11-23T18:00:00-07:00";
const MANAGER: &str = "+17805550999";

fn follow_through(w: &World, settings: FollowThrough) {
    if let Ok(mut state) = w.store.state.lock()
        && let Some(client) = state.clients.get_mut(&w.client.id)
    {
        client.follow_through = settings;
    }
}

fn texts_to(w: &World, to: &str) -> Vec<String> {
    w.texts()
        .into_iter()
        .filter(|(phone, _)| phone.as_str() == to)
        .map(|(_, body)| body)
        .collect()
}

fn at(w: &World, when: &str) {
    w.clock.set(instant(when));
    w.run_jobs();
}

#[test]
fn a_lead_whose_phones_start_ringing_is_told_so_once() {
    let w = world(MONDAY_14, Some(MONDAY_9_TO_5), 2);
    follow_through(
        &w,
        FollowThrough {
            lead_ack_reply: Some("Thanks, we're calling you right now.".into()),
            ..FollowThrough::default()
        },
    );
    let first = w.sms("SM1", LEAD_PHONE, HOT_TEXT);
    assert_eq!(
        first.reply.message.as_deref(),
        Some("Thanks, we're calling you right now.")
    );
    let again = w.sms("SM2", LEAD_PHONE, HOT_TEXT);
    assert_eq!(
        again.reply.message, None,
        "not while the phones already ring"
    );
    let quiet = w.sms("SM3", "+14035550111", "Thanks, got it.");
    assert_eq!(quiet.reply.message, None);
}

#[test]
fn a_lead_nobody_took_is_texted_unless_someone_accepted_or_they_opted_out() {
    for case in ["missed", "accepted", "opted out"] {
        let w = world(MONDAY_14, Some(MONDAY_9_TO_5), 1);
        follow_through(
            &w,
            FollowThrough {
                lead_missed_text: Some("Sorry we missed you, we'll call back soon.".into()),
                ..FollowThrough::default()
            },
        );
        w.sms("SM1", LEAD_PHONE, HOT_TEXT);
        match case {
            "accepted" => {
                let attempt = w.store.snapshot(|s| s.attempts[0].id);
                block_on(w.service.agent_pressed(attempt, "1")).unwrap_or_else(|e| panic!("{e}"));
            }
            "opted out" => {
                w.sms("SM2", LEAD_PHONE, "STOP");
            }
            _ => {}
        }
        let update = LegUpdate {
            status: LegStatus::Completed,
            sequence: Some(9),
            answered_by: None,
            duration_seconds: None,
        };
        block_on(w.service.leg_status(None, &CallSid("CA1".into()), &update))
            .unwrap_or_else(|e| panic!("{e}"));
        at(&w, "2026-11-23T14:05:00-07:00");
        let to_lead = texts_to(&w, LEAD_PHONE);
        if case == "missed" {
            assert_eq!(to_lead, ["Sorry we missed you, we'll call back soon."]);
        } else {
            assert!(to_lead.is_empty(), "{case}: {to_lead:?}");
        }
    }
}

#[test]
fn an_unclaimed_escalation_reminds_the_team_then_tells_the_manager_at_their_times() {
    let w = world(MONDAY_18, Some(MONDAY_9_TO_5), 2);
    follow_through(
        &w,
        FollowThrough {
            reminder_after_seconds: Some(600),
            manager_phone: Some(phone(MANAGER)),
            manager_after_seconds: Some(900),
            ..FollowThrough::default()
        },
    );
    w.sms("SM1", LEAD_PHONE, HOT_TEXT);
    let member = w.members[0].phone.to_string();
    assert_eq!(texts_to(&w, &member).len(), 1, "the escalation text");
    at(&w, "2026-11-23T18:09:59-07:00");
    assert_eq!(texts_to(&w, &member).len(), 1, "no reminder before 10 min");
    at(&w, "2026-11-23T18:10:00-07:00");
    let texts = texts_to(&w, &member);
    assert_eq!(texts.len(), 2);
    assert!(texts[1].contains("waited 10 min"), "{}", texts[1]);
    assert!(texts_to(&w, MANAGER).is_empty());
    at(&w, "2026-11-23T18:15:00-07:00");
    let manager = texts_to(&w, MANAGER);
    assert_eq!(manager.len(), 1);
    assert!(manager[0].contains(LEAD_PHONE), "{}", manager[0]);
    at(&w, "2026-11-23T19:00:00-07:00");
    assert_eq!(texts_to(&w, MANAGER).len(), 1, "once");
    assert_eq!(texts_to(&w, &member).len(), 2, "once");
}

#[test]
fn a_claimed_or_closed_escalation_gets_no_reminder_and_no_manager_text() {
    for case in ["claimed", "opted out"] {
        let w = world(MONDAY_18, Some(MONDAY_9_TO_5), 2);
        follow_through(
            &w,
            FollowThrough {
                reminder_after_seconds: Some(600),
                manager_phone: Some(phone(MANAGER)),
                manager_after_seconds: Some(900),
                ..FollowThrough::default()
            },
        );
        w.sms("SM1", LEAD_PHONE, HOT_TEXT);
        if case == "claimed" {
            w.sms("SM2", w.members[1].phone.as_str(), "CLAIM");
        } else {
            w.sms("SM2", LEAD_PHONE, "STOP");
        }
        at(&w, "2026-11-23T19:00:00-07:00");
        let member = w.members[0].phone.to_string();
        let reminders: Vec<String> = texts_to(&w, &member)
            .into_iter()
            .filter(|t| t.contains("waited"))
            .collect();
        assert!(reminders.is_empty(), "{case}: {reminders:?}");
        assert!(texts_to(&w, MANAGER).is_empty(), "{case}");
    }
}
