//! The dashboard's tables, all of the chosen period: who answers, the
//! calls (one row per hot lead rung) and the escalations, each row
//! linking to the lead's story.

use hotline_domain::PhoneNumber;
use hotline_domain::reports::{AttemptView, EscalationView, Stats};
use hotline_domain::routing::model::TeamMember;
use jiff::tz::TimeZone;
use maud::{Markup, html};

use super::{ROWS, duration_words, local_time};

/// Each agent rung in the period, the one who accepted most first.
pub(super) fn agents(stats: &Stats) -> Markup {
    let mut agents: Vec<_> = stats.agents.iter().collect();
    agents.sort_by(|a, b| b.accepted.cmp(&a.accepted).then(a.missed.cmp(&b.missed)));
    html! {
        section aria-labelledby="agents-title" {
            h2 #agents-title { "Who answers" }
            p.hint { "Missed: busy, not answered, failed, or answered without pressing 1. A call ended because someone else accepted first is not missed." }
            div.table-wrap {
                table #agents.stack {
                    thead { tr { th { "Agent" } th { "Rung" } th { "Accepted" } th { "Missed" } th { "Median time to accept" } } }
                    tbody {
                        @if agents.is_empty() { tr { td colspan="5" { "Nobody was rung in this period." } } }
                        @for agent in agents {
                            tr data-team-member=(agent.team_member_id) {
                                td data-label="Agent" { (agent.name) }
                                td data-label="Rung" data-value=(agent.rung) { (agent.rung) }
                                td data-label="Accepted" data-value=(agent.accepted) { (agent.accepted) }
                                td data-label="Missed" data-value=(agent.missed) { (agent.missed) }
                                td data-label="Median time to accept" { (agent.median_seconds_to_accept.map_or_else(|| "–".to_owned(), duration_words)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn member_name<'a>(team: &'a [TeamMember], id: Option<&str>) -> Option<&'a str> {
    let id = id?;
    team.iter()
        .find(|m| m.id.to_string() == id)
        .map(|m| m.name.as_str())
}

/// One hot lead rung: its legs.
struct Call<'a> {
    legs: Vec<&'a AttemptView>,
}

/// The period's legs, one entry per ring group, newest first.
fn calls(legs: &[AttemptView]) -> Vec<Call<'_>> {
    let mut calls: Vec<Call<'_>> = Vec::new();
    for leg in legs {
        match calls
            .iter_mut()
            .find(|c| c.legs[0].ring_group_id == leg.ring_group_id)
        {
            Some(call) => call.legs.push(leg),
            None => calls.push(Call { legs: vec![leg] }),
        }
    }
    calls
}

/// The period's hot leads rung: when, the lead, phones rung, who took it.
pub(super) fn calls_table(
    legs: &[AttemptView],
    team: &[TeamMember],
    leads: &str,
    zone: &TimeZone,
    home: &PhoneNumber,
    total: i64,
) -> Markup {
    let calls = calls(legs);
    html! {
        section aria-labelledby="calls-title" {
            h2 #calls-title { "Calls in this period" }
            div.table-wrap {
                table #calls.stack {
                    thead { tr { th { "When" } th { "Lead" } th { "Phones rung" } th { "Outcome" } } }
                    tbody {
                        @if calls.is_empty() { tr { td colspan="4" { "No hot lead was rung in this period." } } }
                        @for call in calls.iter().take(ROWS) {
                            @let first = call.legs[call.legs.len() - 1];
                            @let winner = call.legs.iter().find(|l| l.transferred_to_agent);
                            tr {
                                td data-label="When" { (local_time(&first.created_at, zone)) }
                                td data-label="Lead" { a href={ (leads) "/" (first.lead_id) } { (crate::web::leads::national(&first.lead_phone, home)) } }
                                td data-label="Phones rung" { (call.legs.len()) }
                                td data-label="Outcome" {
                                    @match winner {
                                        Some(leg) => { "Answered by " (member_name(team, leg.team_member_id.as_deref()).unwrap_or("an agent")) },
                                        None => @if call.legs.iter().any(|l| matches!(l.status.as_str(), "queued" | "initiated" | "ringing" | "in-progress")) {
                                            "Ringing"
                                        } @else {
                                            span.chip.away { "Nobody answered" }
                                        },
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if total > ROWS as i64 { p.hint { "The latest " (ROWS) " of " (total) "; every lead is in " a href=(leads) { "Leads" } "." } }
        }
    }
}

/// The period's escalations: the lead, why, who claimed it and how fast;
/// unclaimed ones stand out.
pub(super) fn escalations(
    escalations: &[EscalationView],
    team: &[TeamMember],
    leads: &str,
    zone: &TimeZone,
    home: &PhoneNumber,
) -> Markup {
    html! {
        section aria-labelledby="escalations-title" {
            h2 #escalations-title { "Escalations in this period" }
            div.table-wrap {
                table #escalations.stack {
                    thead { tr { th { "When" } th { "Lead" } th { "Why" } th { "Claimed by" } th { "Time to claim" } } }
                    tbody {
                        @if escalations.is_empty() { tr { td colspan="5" { "No escalations in this period." } } }
                        @for escalation in escalations {
                            tr.unclaimed[escalation.claimed_by.is_none() && escalation.closed_at.is_none()] {
                                td data-label="When" { (local_time(&escalation.created_at, zone)) }
                                td data-label="Lead" { a href={ (leads) "/" (escalation.lead_id) } { (crate::web::leads::national(&escalation.lead_phone, home)) } }
                                td data-label="Why" { (reason_label(&escalation.reason)) }
                                td data-label="Claimed by" {
                                    @match (&escalation.claimed_by, &escalation.closed_at) {
                                        (Some(id), _) => { (member_name(team, Some(id)).unwrap_or("a team member")) },
                                        (None, Some(_)) => { "Closed" },
                                        (None, None) => { span.chip.away { "Waiting for a callback" } },
                                    }
                                }
                                td data-label="Time to claim" { (claim_time(escalation)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn claim_time(escalation: &EscalationView) -> String {
    let parse = |t: &str| t.parse::<hotline_domain::Timestamp>().ok();
    match (
        parse(&escalation.created_at),
        escalation.claimed_at.as_deref().and_then(parse),
    ) {
        (Some(opened), Some(claimed)) => {
            duration_words((claimed.as_millisecond() - opened.as_millisecond()) as f64 / 1000.0)
        }
        _ => "–".to_owned(),
    }
}

fn reason_label(reason: &str) -> &str {
    match reason {
        "out_of_hours" => "After hours",
        "no_answer" => "Nobody accepted",
        "no_team" => "Nobody to ring",
        other => other,
    }
}
