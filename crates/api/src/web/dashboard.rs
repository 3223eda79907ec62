//! The dashboard: the hot-transfer figures of a period (today by default),
//! the last 14 days as a chart, and recent call attempts and escalations.
//! The figures are those of `GET /api/clients/{id}/stats`.

use std::collections::HashMap;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use hotline_domain::Timestamp;
use hotline_domain::reports::{AttemptView, DayFigures as Day, EscalationView, Period, Stats};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use maud::{Markup, html};

use super::layout::{self, Section};
use super::session::{PageError, Viewer};
use crate::extract::{ApiPath as Path, ApiQuery as Query};
use crate::reports::PeriodQuery;
use crate::state::AppState;

/// Days in the chart.
const CHART_DAYS: i16 = 14;
/// Rows in each recent-activity table.
const RECENT_ROWS: u32 = 15;

/// `GET /clients/{id}/dashboard`.
pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(query): Query<PeriodQuery>,
) -> Result<Response, PageError> {
    let (client, clients) = super::client_and_list(&state, &viewer, &id).await?;
    let zone = client.timezone.zone().clone();
    let period = query.period(&zone)?;
    let (from, to) = (period.from, period.to);
    let days: Vec<Period> = (0..CHART_DAYS)
        .rev()
        .filter_map(|back| to.checked_sub(jiff::Span::new().days(back)).ok())
        .filter_map(|date| Period::of_dates(&zone, date, date))
        .collect();
    let principal = &viewer.caller.0;
    let (stats, days) = state
        .reports
        .stats_by_day(principal, client.id, &period, &days)
        .await?;
    let attempts = state
        .reports
        .call_attempts(principal, client.id, RECENT_ROWS, 0)
        .await?;
    let escalations = state
        .reports
        .escalations(principal, client.id, RECENT_ROWS, 0)
        .await?;
    let team: HashMap<String, String> = state
        .admin
        .team(principal, client.id)
        .await?
        .into_iter()
        .map(|m| (m.id.to_string(), m.name))
        .collect();
    let leads: HashMap<String, String> = state
        .reports
        .leads(principal, client.id, 500, 0)
        .await?
        .into_iter()
        .map(|l| (l.id, l.phone))
        .collect();
    let waiting = state.reports.waiting_count(principal, client.id).await?;
    let body = html! {
        @if waiting > 0 {
            p.waiting #waiting role="status" {
                a href={ "/clients/" (client.id) "/leads?status=waiting" } {
                    strong { (waiting) } @if waiting == 1 { " hot lead is waiting for a callback" } @else { " hot leads are waiting for a callback" }
                }
            }
        }
        form.inline.card method="get" action={ "/clients/" (client.id) "/dashboard" } aria-label="Period" {
            div {
                label for="from" { "From" }
                input #from type="date" name="from" value=(from);
            }
            div {
                label for="to" { "To" }
                input #to type="date" name="to" value=(to);
            }
            button type="submit" { "Show" }
            p.hint { "Dates in " (client.timezone) ". " (period_label(from, to, &zone)) }
        }
        (figures(&stats))
        section.card.chart aria-labelledby="chart-title" {
            h2 #chart-title { "Last 14 days" }
            (chart(&days))
        }
        (agents_table(&stats))
        (attempts_table(&attempts, &team, &zone))
        (escalations_table(&escalations, &team, &leads, &zone))
    };
    let frame = super::frame(&viewer, &clients, &client, Section::Dashboard);
    Ok(layout::client_page(&frame, "Dashboard", body).into_response())
}

/// Each agent rung in the period: legs, acceptances, misses and how fast.
fn agents_table(stats: &Stats) -> Markup {
    html! {
        section aria-labelledby="agents-title" {
            h2 #agents-title { "Agents" }
            p.hint { "Missed: the phone was busy, not answered, failed, or answered without pressing 1. A leg ended because someone else accepted first is not missed." }
            div.table-wrap {
                table #agents {
                    thead { tr { th { "Agent" } th { "Rung" } th { "Accepted" } th { "Missed" } th { "Median time to accept" } } }
                    tbody {
                        @if stats.agents.is_empty() { tr { td colspan="5" { "Nobody was rung in this period." } } }
                        @for agent in &stats.agents {
                            tr data-team-member=(agent.team_member_id) {
                                td { (agent.name) }
                                td data-value=(agent.rung) { (agent.rung) }
                                td data-value=(agent.accepted) { (agent.accepted) }
                                td data-value=(agent.missed) { (agent.missed) }
                                td { (agent.median_seconds_to_accept.map_or_else(|| "-".to_owned(), seconds)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The last call legs, with the agent's name.
fn attempts_table(
    attempts: &[AttemptView],
    team: &HashMap<String, String>,
    zone: &TimeZone,
) -> Markup {
    html! {
    section aria-labelledby="attempts-title" {
        h2 #attempts-title { "Recent call attempts" }
        div.table-wrap {
            table #recent-attempts {
                thead { tr { th { "When" } th { "Agent" } th { "Phone" } th { "Status" } th { "Accepted" } th { "Bridged" } th { "Seconds" } } }
                tbody {
                    @if attempts.is_empty() { tr { td colspan="7" { "No calls yet." } } }
                    @for attempt in attempts {
                        tr {
                            td { (local_time(&attempt.created_at, zone)) }
                            td { (attempt.team_member_id.as_ref().and_then(|id| team.get(id)).map_or("-", String::as_str)) }
                            td { (attempt.phone) }
                            td { (attempt.status) }
                            td { (yes_no(attempt.answered)) }
                            td { (yes_no(attempt.transferred_to_agent)) }
                            td { (attempt.duration.map_or_else(|| "-".to_owned(), |d| d.to_string())) }
                        }
                    }
                }
            }
        }
    }
    }
}

/// The last escalations, with the lead's phone and who claimed them.
fn escalations_table(
    escalations: &[EscalationView],
    team: &HashMap<String, String>,
    leads: &HashMap<String, String>,
    zone: &TimeZone,
) -> Markup {
    html! {
    section aria-labelledby="escalations-title" {
        h2 #escalations-title { "Recent escalations" }
        div.table-wrap {
            table #recent-escalations {
                thead { tr { th { "When" } th { "Lead" } th { "Why" } th { "Claimed by" } th { "Claimed at" } } }
                tbody {
                    @if escalations.is_empty() { tr { td colspan="5" { "No escalations yet." } } }
                    @for escalation in escalations {
                        tr {
                            td { (local_time(&escalation.created_at, zone)) }
                            td { (leads.get(&escalation.lead_id).map_or("-", String::as_str)) }
                            td { (reason_label(&escalation.reason)) }
                            td { (escalation.claimed_by.as_ref().map_or("Unclaimed", |id| team.get(id).map_or("-", String::as_str))) }
                            td { (escalation.claimed_at.as_deref().map_or_else(|| "-".to_owned(), |t| local_time(t, zone))) }
                        }
                    }
                }
            }
        }
    }
    }
}

fn period_label(from: Date, to: Date, zone: &TimeZone) -> String {
    let today = zone.to_datetime(Timestamp::now()).date();
    if from == to && to == today {
        "Showing today.".to_owned()
    } else if from == to {
        format!("Showing {from}.")
    } else {
        format!("Showing {from} to {to}.")
    }
}

fn yes_no(value: bool) -> &'static str {
    if value { "Yes" } else { "No" }
}

fn reason_label(reason: &str) -> &str {
    match reason {
        "out_of_hours" => "After hours",
        "no_answer" => "Nobody accepted",
        "no_team" => "Nobody to ring",
        other => other,
    }
}

/// An RFC 3339 instant as local time in `zone`, or as stored if unreadable.
fn local_time(text: &str, zone: &TimeZone) -> String {
    text.parse::<Timestamp>().map_or_else(
        |_| text.to_owned(),
        |t| zone.to_datetime(t).strftime("%b %d %H:%M").to_string(),
    )
}

/// One figure: the raw value in `data-value`, formatted for people.
fn figure(key: &str, label: &str, raw: String, shown: String, hint: &str) -> Markup {
    html! {
        div {
            dt { (label) }
            dd data-stat=(key) data-value=(raw) title=(hint) { (shown) }
        }
    }
}

fn percent(value: f64) -> String {
    format!("{:.0}%", value * 100.0)
}

fn seconds(value: f64) -> String {
    format!("{value:.1} s")
}

fn figures(stats: &Stats) -> Markup {
    html! {
        dl.stats #figures {
            (figure("ring_groups", "Ring groups", stats.ring_groups.to_string(), stats.ring_groups.to_string(), "Hot leads rung to the team"))
            (figure("answer_rate", "Answer rate", stats.answer_rate.to_string(), percent(stats.answer_rate), "Ring groups an agent accepted"))
            (figure("avg_ring_seconds", "Average ring", stats.avg_ring_seconds.to_string(), seconds(stats.avg_ring_seconds), "From ringing to an agent accepting"))
            (figure("speed_to_lead_p50_seconds", "Speed to lead", stats.speed_to_lead_p50_seconds.to_string(), seconds(stats.speed_to_lead_p50_seconds), "Median from the SMS to an agent connected"))
            (figure("escalations_no_answer", "Escalations, no answer", stats.escalations_no_answer.to_string(), stats.escalations_no_answer.to_string(), "Ring groups nobody accepted"))
            (figure("escalations", "Escalations", stats.escalations.to_string(), stats.escalations.to_string(), "Leads texted to the team"))
            (figure("after_hours_hot_leads", "After-hours hot leads", stats.after_hours_hot_leads.to_string(), stats.after_hours_hot_leads.to_string(), "Hot leads while closed"))
            (figure("hot_leads", "Hot leads", stats.hot_leads.to_string(), stats.hot_leads.to_string(), "Leads with a hot message"))
            (figure("appointments", "Appointments", stats.appointments.to_string(), stats.appointments.to_string(), "Leads marked booked"))
            (figure("conversion_to_appointment", "Conversion", stats.conversion_to_appointment.to_string(), percent(stats.conversion_to_appointment), "Appointments per hot lead"))
        }
    }
}

/// Bars per day: ring groups, answered and escalations, as inline SVG.
fn chart(days: &[Day]) -> Markup {
    const WIDTH: i64 = 700;
    const HEIGHT: i64 = 180;
    const BASE: i64 = 150;
    let peak = days
        .iter()
        .map(|d| d.ring_groups.max(d.escalations))
        .max()
        .unwrap_or(0)
        .max(1);
    let slot = WIDTH / i64::try_from(days.len().max(1)).unwrap_or(1);
    let bar = (slot - 8) / 3;
    let height = |value: i64| value * (BASE - 20) / peak;
    let summary = days
        .iter()
        .map(|d| {
            format!(
                "{}: {} rung, {} answered, {} escalated",
                d.date, d.ring_groups, d.answered, d.escalations
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    html! {
        p.legend {
            span { span.swatch.rung {} "Ring groups" }
            span { span.swatch.answered {} "Answered" }
            span { span.swatch.escalated {} "Escalations" }
        }
        svg viewBox={ "0 0 " (WIDTH) " " (HEIGHT) } role="img" aria-label={ "Last 14 days. " (summary) } {
            line x1="0" y1=(BASE) x2=(WIDTH) y2=(BASE) stroke="#aab3c0" {}
            @for (i, day) in days.iter().enumerate() {
                @let x = i64::try_from(i).unwrap_or(0) * slot + 4;
                g {
                    title { (day.date) ": " (day.ring_groups) " rung, " (day.answered) " answered, " (day.escalations) " escalated" }
                    rect x=(x) y=(BASE - height(day.ring_groups)) width=(bar) height=(height(day.ring_groups)) fill="#adb5bd" {}
                    rect x=(x + bar) y=(BASE - height(day.answered)) width=(bar) height=(height(day.answered)) fill="#2b8a3e" {}
                    rect x=(x + 2 * bar) y=(BASE - height(day.escalations)) width=(bar) height=(height(day.escalations)) fill="#d9480f" {}
                    text x=(x + bar * 3 / 2) y=(BASE + 18) font-size="11" text-anchor="middle" fill="#5b6676" { (day.date.strftime("%d")) }
                }
            }
        }
    }
}
