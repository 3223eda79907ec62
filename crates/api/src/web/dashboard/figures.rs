//! The dashboard's figures, each against the period before, and the chart.

use hotline_domain::reports::{DayFigures as Day, Stats};
use maud::{Markup, html};

use super::duration_words;

/// Which way of a figure's change is good news.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Better {
    /// More is better (answer rate, appointments).
    Higher,
    /// Less is better (seconds, escalations).
    Lower,
}

/// How a figure is shown.
#[derive(Clone, Copy)]
enum Shape {
    Count,
    Percent,
    Seconds,
}

/// One figure: its key in the stats API, its label, help, value then and
/// before.
struct Figure {
    key: &'static str,
    label: &'static str,
    hint: &'static str,
    now: Option<f64>,
    before: Option<f64>,
    shape: Shape,
    better: Better,
}

fn shown(value: Option<f64>, shape: Shape) -> String {
    match (value, shape) {
        (None, _) => "–".to_owned(),
        (Some(v), Shape::Count) => format!("{v:.0}"),
        (Some(v), Shape::Percent) => format!("{:.0}%", v * 100.0),
        (Some(v), Shape::Seconds) => duration_words(v),
    }
}

/// "▲ 3 vs 9 before", in words a screen reader says too.
fn comparison(figure: &Figure) -> Markup {
    let (Some(now), Some(before)) = (figure.now, figure.before) else {
        return match figure.now {
            Some(_) => html! { span.delta { "none before" } },
            None => html! { span.delta { "none in this period" } },
        };
    };
    let change = now - before;
    let same = change.abs() < 1e-9;
    let good = match figure.better {
        Better::Higher => change > 0.0,
        Better::Lower => change < 0.0,
    };
    let class = if same {
        "delta"
    } else if good {
        "delta good"
    } else {
        "delta bad"
    };
    let arrow = if same {
        "="
    } else if change > 0.0 {
        "▲"
    } else {
        "▼"
    };
    html! {
        span class=(class) {
            span aria-hidden="true" { (arrow) " " }
            @if same { "same as before" } @else {
                @if change > 0.0 { "up from " } @else { "down from " }
                (shown(Some(before), figure.shape))
            }
        }
    }
}

fn figure(f: &Figure) -> Markup {
    html! {
        div {
            dt { (f.label) }
            dd data-stat=(f.key) data-value=[f.now.map(|v| v.to_string())] title=(f.hint) { (shown(f.now, f.shape)) }
            dd.compare { (comparison(f)) }
            dd.help { (f.hint) }
        }
    }
}

/// The period's figures against `before`, the period as long before it.
pub(super) fn figures(
    stats: &Stats,
    before: Option<&Stats>,
    period: &str,
    compared: &str,
) -> Markup {
    let was = |pick: fn(&Stats) -> Option<f64>| before.and_then(pick);
    let count = |n: i64| Some(n as f64);
    let list = [
        Figure {
            key: "hot_leads",
            label: "Hot leads",
            hint: "Leads who sent a ready-to-buy message",
            now: count(stats.hot_leads),
            before: was(|s| Some(s.hot_leads as f64)),
            shape: Shape::Count,
            better: Better::Higher,
        },
        Figure {
            key: "first_ring_p50_seconds",
            label: "SMS to first phone ringing",
            hint: "Median, from the hot SMS to the first team phone called",
            now: stats.first_ring_p50_seconds,
            before: was(|s| s.first_ring_p50_seconds),
            shape: Shape::Seconds,
            better: Better::Lower,
        },
        Figure {
            key: "speed_to_lead_p50_seconds",
            label: "SMS to agent connected",
            hint: "Median, from the hot SMS to an agent pressing 1, over answered ring groups",
            now: (stats.answered > 0).then_some(stats.speed_to_lead_p50_seconds),
            before: was(|s| (s.answered > 0).then_some(s.speed_to_lead_p50_seconds)),
            shape: Shape::Seconds,
            better: Better::Lower,
        },
        Figure {
            key: "answer_rate",
            label: "Answer rate",
            hint: "Ring groups an agent accepted",
            now: (stats.ring_groups > 0).then_some(stats.answer_rate),
            before: was(|s| (s.ring_groups > 0).then_some(s.answer_rate)),
            shape: Shape::Percent,
            better: Better::Higher,
        },
        Figure {
            key: "ring_groups",
            label: "Ring groups",
            hint: "Hot leads rung to the team",
            now: count(stats.ring_groups),
            before: was(|s| Some(s.ring_groups as f64)),
            shape: Shape::Count,
            better: Better::Higher,
        },
        Figure {
            key: "avg_ring_seconds",
            label: "Ringing before an answer",
            hint: "Mean, from the phones ringing to an agent pressing 1",
            now: (stats.answered > 0).then_some(stats.avg_ring_seconds),
            before: was(|s| (s.answered > 0).then_some(s.avg_ring_seconds)),
            shape: Shape::Seconds,
            better: Better::Lower,
        },
        Figure {
            key: "after_hours_hot_leads",
            label: "After-hours hot leads",
            hint: "Hot leads while closed",
            now: count(stats.after_hours_hot_leads),
            before: was(|s| Some(s.after_hours_hot_leads as f64)),
            shape: Shape::Count,
            better: Better::Higher,
        },
        Figure {
            key: "escalations",
            label: "Escalations",
            hint: "Leads texted to the team",
            now: count(stats.escalations),
            before: was(|s| Some(s.escalations as f64)),
            shape: Shape::Count,
            better: Better::Lower,
        },
        Figure {
            key: "escalations_no_answer",
            label: "Nobody answered",
            hint: "Ring groups nobody accepted, then texted to the team",
            now: count(stats.escalations_no_answer),
            before: was(|s| Some(s.escalations_no_answer as f64)),
            shape: Shape::Count,
            better: Better::Lower,
        },
        Figure {
            key: "claim_p50_seconds",
            label: "Time to claim",
            hint: "Median, from an escalation's texts to a member claiming the lead",
            now: stats.claim_p50_seconds,
            before: was(|s| s.claim_p50_seconds),
            shape: Shape::Seconds,
            better: Better::Lower,
        },
        Figure {
            key: "escalations_unclaimed",
            label: "Still unclaimed",
            hint: "Escalations of the period nobody has claimed",
            now: count(stats.escalations_unclaimed),
            before: was(|s| Some(s.escalations_unclaimed as f64)),
            shape: Shape::Count,
            better: Better::Lower,
        },
        Figure {
            key: "appointments",
            label: "Appointments",
            hint: "Leads marked booked",
            now: count(stats.appointments),
            before: was(|s| Some(s.appointments as f64)),
            shape: Shape::Count,
            better: Better::Higher,
        },
        Figure {
            key: "conversion_to_appointment",
            label: "Conversion",
            hint: "Appointments per hot lead",
            now: (stats.hot_leads > 0).then_some(stats.conversion_to_appointment),
            before: was(|s| (s.hot_leads > 0).then_some(s.conversion_to_appointment)),
            shape: Shape::Percent,
            better: Better::Higher,
        },
    ];
    html! {
        section aria-labelledby="figures-title" {
            h2 #figures-title { "Figures" span.hint { " · " (period) ", against " (compared) } }
            dl.stats #figures { @for f in &list { (figure(f)) } }
        }
    }
}

/// Bars per day: ring groups, answered and escalations, as inline SVG.
pub(super) fn chart(days: &[Day]) -> Markup {
    const WIDTH: i64 = 700;
    const HEIGHT: i64 = 156;
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
                    rect x=(x) y=(BASE - height(day.ring_groups)) width=(bar) height=(height(day.ring_groups)) fill="#868e96" {}
                    rect x=(x + bar) y=(BASE - height(day.answered)) width=(bar) height=(height(day.answered)) fill="#2b8a3e" {}
                    rect x=(x + 2 * bar) y=(BASE - height(day.escalations)) width=(bar) height=(height(day.escalations)) fill="#d9480f" {}
                }
            }
        }
        // Day numbers as text, readable at any width.
        div.days aria-hidden="true" {
            @for day in days { span { (day.date.strftime("%d")) } }
        }
    }
}
