//! A lead's story: every message, decision, call leg, escalation text,
//! claim, booking and webhook delivery, in time order.

use hotline_domain::reports::LeadDetail;
use hotline_domain::routing::model::TeamMember;
use hotline_domain::webhooks::DeliveryAttempt;
use hotline_domain::{PhoneNumber, Timestamp};
use maud::{Markup, html};

/// A text to a member, in words: "Texted Agent 1", "Reminder to Agent 2".
fn text_line(purpose: &str, name: &str) -> String {
    match purpose {
        "escalation" => format!("Texted {name}"),
        "reminder" => format!("Reminder to {name}"),
        "claim" => format!("Told {name} another member claimed it"),
        other => format!("{other} to {name}"),
    }
}

/// One line of a lead's story.
pub(super) struct Event {
    /// When (RFC 3339).
    pub at: String,
    /// What happened.
    pub what: Markup,
}

fn member_name(team: &[TeamMember], id: Option<&str>) -> String {
    id.and_then(|id| team.iter().find(|m| m.id.to_string() == id))
        .map_or_else(|| "a team member".to_owned(), |m| m.name.clone())
}

/// Everything that happened to the lead, oldest first.
pub(super) fn story(
    detail: &LeadDetail,
    team: &[TeamMember],
    base: &str,
    csrf: &str,
    zone: &jiff::tz::TimeZone,
    home: &PhoneNumber,
) -> Vec<Event> {
    let mut events = Vec::new();
    for message in &detail.messages {
        let signals: Vec<String> = message
            .signals
            .iter()
            .take(4)
            .map(ToString::to_string)
            .collect();
        events.push(Event {
            at: message.received_at.clone(),
            what: html! {
                p.message { "“" (message.body) "”" }
                p.hint {
                    "Score " (format!("{:.2}", message.intent_score))
                    @if message.hot { ", hot" } @else { ", not hot" }
                    @if !signals.is_empty() { " (" (signals.join(", ")) ")" }
                    @match message.label {
                        Some(true) => { ". You said: hot." },
                        Some(false) => { ". You said: not hot." },
                        None => {},
                    }
                }
                form.inline.label method="post" action={ (base) "/messages/" (message.id) "/label" } {
                    input type="hidden" name="csrf" value=(csrf);
                    span { "Was this hot?" }
                    button type="submit" name="hot" value="yes" aria-label={ "Yes, the message at " (message.received_at) " was hot" } { "Yes" }
                    button type="submit" name="hot" value="no" aria-label={ "No, the message at " (message.received_at) " was not hot" } { "No" }
                }
            },
        });
    }
    for decision in &detail.routing_decisions {
        let outcome = match decision.outcome.as_str() {
            "ring_group" => "Hot: rang the team",
            "already_ringing" => "Hot again: the team was already ringing",
            "escalated_closed" => "Hot, outside business hours: texted the team",
            "escalated_no_team" => "Hot, but nobody takes calls: texted the team",
            "already_escalated" => "Hot again: the team was already texted",
            "not_hot" => "Not hot: no call",
            "opted_out" | "lead_opted_out" => "Opted out: nothing more is sent",
            other => other,
        };
        events.push(Event {
            at: decision.decided_at.clone(),
            what: html! {
                p { strong { (outcome) }
                    @if !decision.open && decision.outcome != "escalated_closed" { " · outside business hours" } }
                @if let Some(reply) = &decision.reply { p.hint { "Replied: “" (reply) "”" } }
            },
        });
    }
    for attempt in &detail.call_attempts {
        let who = member_name(team, attempt.team_member_id.as_deref());
        events.push(Event {
            at: attempt.created_at.clone(),
            what: html! {
                p {
                    "Called " (who) " (" (super::national(&attempt.phone, home)) "): " (attempt.status.replace('-', " "))
                    @if attempt.transferred_to_agent { " · accepted and connected to the lead" }
                    @if let Some(seconds) = attempt.duration { " · " (seconds) " s" }
                }
            },
        });
    }
    for escalation in &detail.escalations {
        let sent = escalation
            .texts
            .iter()
            .filter(|t| t.purpose == "escalation" && t.state == "sent")
            .count();
        let failed = escalation
            .texts
            .iter()
            .filter(|t| t.purpose == "escalation" && t.state == "failed")
            .count();
        events.push(Event {
            at: escalation.created_at.clone(),
            what: html! {
                p { strong { "Escalated" } " (" (escalation.reason.replace('_', " ")) "): "
                    (sent) @if sent == 1 { " text" } @else { " texts" } " to the team sent"
                    @if failed > 0 { ", " (failed) " failed" } }
                @if !escalation.texts.is_empty() {
                    ul.texts {
                        @for text in &escalation.texts {
                            li {
                                (text_line(&text.purpose, &member_name(team, Some(&text.team_member_id)))) ": "
                                span.badge.open[text.state == "sent"] { (text.state.replace('_', " ")) }
                                @if text.tries > 1 { " after " (text.tries) " tries" }
                                span.hint { " " (clock(&text.updated_at, zone)) }
                                @if let Some(error) = &text.error { span.hint { " (" (error) ")" } }
                            }
                        }
                    }
                }
            },
        });
        if let (Some(at), Some(by)) = (&escalation.claimed_at, &escalation.claimed_by) {
            events.push(Event {
                at: at.clone(),
                what: html! { p { strong { "Claimed" } " by " (member_name(team, Some(by))) } },
            });
        }
        if let Some(at) = &escalation.closed_at {
            events.push(Event {
                at: at.clone(),
                what: html! { p { "Escalation closed without a claim" } },
            });
        }
    }
    if let Some(at) = &detail.lead.booked_at {
        events.push(Event {
            at: at.clone(),
            what: html! { p { strong { "Booked" } } },
        });
    }
    in_time_order(&mut events);
    events
}

/// Sorts `events` by their instants (strings of different fractions do
/// not sort as instants).
fn in_time_order(events: &mut [Event]) {
    events.sort_by_key(|e| e.at.parse::<Timestamp>().ok());
}

/// An instant as the local "14:05".
fn clock(at: &str, zone: &jiff::tz::TimeZone) -> String {
    at.parse::<Timestamp>().map_or_else(
        |_| at.to_owned(),
        |t| zone.to_datetime(t).strftime("%H:%M").to_string(),
    )
}

/// Webhook deliveries shown in a lead's story.
pub(super) const DELIVERIES_SHOWN: u32 = 100;

/// `events` with each webhook delivery about the lead, in time order.
pub(super) fn with_deliveries(
    mut events: Vec<Event>,
    deliveries: &[(String, DeliveryAttempt)],
) -> Vec<Event> {
    for (url, attempt) in deliveries {
        let delivered = attempt.status_code.is_some_and(|s| (200..300).contains(&s));
        events.push(Event {
            at: attempt.at.clone(),
            what: html! {
                p.hint {
                    "Webhook " code { (attempt.event_type) } " to " (url)
                    @if attempt.attempt > 1 { " (attempt " (attempt.attempt) ")" }
                    ": "
                    @if delivered { span.badge.open { "delivered" } }
                    @else if let Some(error) = &attempt.error { (error) }
                    @else { "no answer" }
                }
            },
        });
    }
    in_time_order(&mut events);
    events
}
