//! The dashboard: how many hot leads wait for a callback, the figures of a
//! period (today by default) against the period before, who answers, the
//! last 14 days as a chart, and the period's calls and escalations, each
//! linking to the lead's story. The figures are those of
//! `GET /api/clients/{id}/stats`.

mod figures;
mod tables;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use hotline_domain::Timestamp;
use hotline_domain::reports::Period;
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
/// Call legs read for the period's calls table (grouped by ring group).
const LEGS_READ: u32 = 300;
/// Rows in each of the period's tables.
const ROWS: usize = 15;

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
    let days: Vec<Period> = (0..CHART_DAYS)
        .rev()
        .filter_map(|back| period.to.checked_sub(jiff::Span::new().days(back)).ok())
        .filter_map(|date| Period::of_dates(&zone, date, date))
        .collect();
    let principal = &viewer.caller.0;
    let (before, compared) = compared_with(&period, &zone, Timestamp::now());
    let (stats, previous, days) = state
        .reports
        .stats_with_previous(principal, client.id, &period, before.as_ref(), &days)
        .await?;
    let within = Some((period.start, period.end));
    let legs = state
        .reports
        .call_attempts(principal, client.id, within, LEGS_READ, 0)
        .await?;
    let escalations = state
        .reports
        .escalations(principal, client.id, within, ROWS as u32, 0)
        .await?;
    let team = state.admin.team(principal, client.id).await?;
    let waiting = state.reports.waiting_count(principal, client.id).await?;
    let leads = format!("/clients/{}/leads", client.id);
    let body = html! {
        @if waiting > 0 {
            p.waiting #waiting role="status" {
                a href={ (leads) "?status=waiting" } {
                    strong { (waiting) } @if waiting == 1 { " hot lead is waiting for a callback" } @else { " hot leads are waiting for a callback" }
                }
            }
        }
        (period_form(&client.id.to_string(), &period, &zone, &client.timezone.to_string()))
        (figures::figures(&stats, previous.as_ref(), &period_words(period.from, period.to, &zone), &compared))
        (tables::agents(&stats))
        section.card.chart aria-labelledby="chart-title" {
            h2 #chart-title { "Last 14 days" }
            (figures::chart(&days))
        }
        (tables::calls_table(&legs, &team, &leads, &zone, &client.twilio_number, stats.ring_groups))
        (tables::escalations(&escalations, &team, &leads, &zone, &client.twilio_number))
    };
    let frame = super::frame(&viewer, &clients, &client, Section::Dashboard);
    Ok(layout::client_page(&frame, "Dashboard", body).into_response())
}

/// What the period's figures are compared with, and its words: the period
/// as long before it; when the period runs until now (today, this month),
/// only as much of that one as has passed of this one, so a morning is
/// not compared with a whole day.
fn compared_with(period: &Period, zone: &TimeZone, now: Timestamp) -> (Option<Period>, String) {
    let Some(mut before) = period.previous(zone) else {
        return (None, String::new());
    };
    if period.start < now && now < period.end {
        let so_far = now.duration_since(period.start);
        if let Ok(end) = before.start.checked_add(so_far) {
            before.end = end.min(before.end);
        }
        let words = if before.from == before.to {
            format!("{} up to this time of day", before.from)
        } else {
            format!("{} to {} up to the same point", before.from, before.to)
        };
        return (Some(before), words);
    }
    let words = if before.from == before.to {
        before.from.to_string()
    } else {
        format!("{} to {}", before.from, before.to)
    };
    (Some(before), words)
}

/// The period's dates, with one-click periods.
fn period_form(client: &str, period: &Period, zone: &TimeZone, zone_name: &str) -> Markup {
    let base = format!("/clients/{client}/dashboard");
    let today = zone.to_datetime(Timestamp::now()).date();
    let back = |days: i32| {
        today
            .checked_sub(jiff::Span::new().days(days))
            .unwrap_or(today)
    };
    let month_start = today.first_of_month();
    let quick = [
        ("Today", today, today),
        ("Last 7 days", back(6), today),
        ("This month", month_start, today),
        ("Last 30 days", back(29), today),
    ];
    html! {
        form.inline.card method="get" action=(base) aria-label="Period" {
            div {
                label for="from" { "From" }
                input #from type="date" name="from" value=(period.from);
            }
            div {
                label for="to" { "To" }
                input #to type="date" name="to" value=(period.to);
            }
            button type="submit" { "Show" }
            nav.quick aria-label="Quick periods" {
                @for (label, from, to) in quick {
                    a href={ (base) "?from=" (from) "&to=" (to) }
                        aria-current=[(period.from == from && period.to == to).then_some("page")] { (label) }
                }
            }
            p.hint { "Dates in " (zone_name) ". " (period_words(period.from, period.to, zone)) "." }
        }
    }
}

/// "today", "2026-11-23", "2026-11-01 to 2026-11-30".
fn period_words(from: Date, to: Date, zone: &TimeZone) -> String {
    let today = zone.to_datetime(Timestamp::now()).date();
    if from == to && to == today {
        "Showing today".to_owned()
    } else if from == to {
        format!("Showing {from}")
    } else {
        format!("Showing {from} to {to}")
    }
}

/// An RFC 3339 instant as local time in `zone`, or as stored if unreadable.
fn local_time(text: &str, zone: &TimeZone) -> String {
    text.parse::<Timestamp>().map_or_else(
        |_| text.to_owned(),
        |t| zone.to_datetime(t).strftime("%b %d %H:%M").to_string(),
    )
}

/// Seconds for people: "8.2 s", "3 min 20 s", "2 h 5 min".
fn duration_words(seconds: f64) -> String {
    if seconds < 60.0 {
        format!("{seconds:.1} s")
    } else if seconds < 3600.0 {
        let whole = seconds.round() as i64;
        format!("{} min {} s", whole / 60, whole % 60)
    } else {
        let minutes = (seconds / 60.0).round() as i64;
        format!("{} h {} min", minutes / 60, minutes % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_is_compared_with_yesterday_up_to_the_same_time_and_a_past_day_with_the_whole_day_before()
     {
        let zone = TimeZone::get("America/Edmonton").unwrap_or_else(|e| panic!("{e}"));
        let day = |d: &str| d.parse::<Date>().unwrap_or_else(|e| panic!("{e}"));
        let today = Period::of_dates(&zone, day("2026-11-30"), day("2026-11-30"))
            .unwrap_or_else(|| panic!("a day"));
        let now: Timestamp = "2026-11-30T09:30:00-07:00"
            .parse()
            .unwrap_or_else(|e| panic!("{e}"));
        let (before, words) = compared_with(&today, &zone, now);
        let before = before.unwrap_or_else(|| panic!("yesterday"));
        assert_eq!(before.from, day("2026-11-29"));
        assert_eq!(
            before.end,
            "2026-11-29T09:30:00-07:00"
                .parse::<Timestamp>()
                .unwrap_or_else(|e| panic!("{e}"))
        );
        assert_eq!(words, "2026-11-29 up to this time of day");
        let past = Period::of_dates(&zone, day("2026-11-23"), day("2026-11-23"))
            .unwrap_or_else(|| panic!("a day"));
        let (before, words) = compared_with(&past, &zone, now);
        assert_eq!(before.map(|b| b.end), Some(past.start));
        assert_eq!(words, "2026-11-22");
    }
}
