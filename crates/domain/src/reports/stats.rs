//! Hot-transfer statistics, defined once: what each figure counts.

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use crate::Timestamp;
use crate::routing::model::LegStatus;

/// A ring group as the statistics need it.
#[derive(Debug, Clone, PartialEq)]
pub struct RingGroupFact {
    /// When the phones started ringing.
    pub started_at: Timestamp,
    /// When an agent accepted (pressed 1), if one did.
    pub accepted_at: Option<Timestamp>,
    /// When the hot SMS that started it arrived.
    pub hot_sms_at: Option<Timestamp>,
    /// When its first phone call was placed (the first phone ringing).
    pub first_call_at: Option<Timestamp>,
}

/// An escalation as the statistics need it.
#[derive(Debug, Clone, PartialEq)]
pub struct EscalationFact {
    /// When it opened.
    pub opened_at: Timestamp,
    /// Whether because nobody accepted a ring group.
    pub no_answer: bool,
    /// When a member claimed it, if one did.
    pub claimed_at: Option<Timestamp>,
    /// When it was closed without a claim, if it was.
    pub closed_at: Option<Timestamp>,
}

/// One phone rung, as the per-agent figures need it.
#[derive(Debug, Clone, PartialEq)]
pub struct LegFact {
    /// The member rung, when still known.
    pub team_member_id: Option<uuid::Uuid>,
    /// Their name, when still known.
    pub name: Option<String>,
    /// How the leg ended (or where it stands).
    pub status: LegStatus,
    /// When the leg was created.
    pub created_at: Timestamp,
    /// When this leg won its ring group by pressing 1, if it did.
    pub won_at: Option<Timestamp>,
    /// Whether another leg of its ring group won it.
    pub lost_to_another: bool,
}

/// Everything the statistics of a range of instants are computed from, read
/// in one query.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StatsFacts {
    /// Ring groups started in the range.
    pub ring_groups: Vec<RingGroupFact>,
    /// Legs created in the range.
    pub legs: Vec<LegFact>,
    /// Escalations opened in the range.
    pub escalations: Vec<EscalationFact>,
    /// Hot decisions in the range: when, the lead, and whether the client
    /// was open.
    pub hot_decisions: Vec<(Timestamp, uuid::Uuid, bool)>,
    /// Appointments booked in the range.
    pub bookings: Vec<Timestamp>,
}

/// One agent's figures for a period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgentStats {
    /// The member.
    pub team_member_id: String,
    /// Their name.
    pub name: String,
    /// Legs created for them.
    pub rung: i64,
    /// Legs they won by pressing 1.
    pub accepted: i64,
    /// Legs that ended busy, unanswered or failed, or were answered without
    /// pressing 1; a leg cancelled because someone else accepted first is
    /// not missed.
    pub missed: i64,
    /// Median seconds from their phone ringing to their acceptance; null
    /// without an acceptance.
    pub median_seconds_to_accept: Option<f64>,
}

/// Hot-transfer figures for a period.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Stats {
    /// Ring groups started.
    pub ring_groups: i64,
    /// Of them, accepted by an agent.
    pub answered: i64,
    /// answered / ring_groups (0 without ring groups).
    pub answer_rate: f64,
    /// Mean seconds from the phones ringing to an agent's acceptance, over
    /// the accepted ring groups.
    pub avg_ring_seconds: f64,
    /// Escalations opened.
    pub escalations: i64,
    /// Of them, after a ring group nobody accepted.
    pub escalations_no_answer: i64,
    /// Leads with a hot message.
    pub hot_leads: i64,
    /// Leads with a hot message while the client was closed.
    pub after_hours_hot_leads: i64,
    /// Median seconds from a hot SMS's arrival to an agent's acceptance,
    /// over the accepted ring groups.
    pub speed_to_lead_p50_seconds: f64,
    /// Appointments booked.
    pub appointments: i64,
    /// appointments / hot_leads (0 without hot leads).
    pub conversion_to_appointment: f64,
    /// Median seconds from a hot SMS's arrival to the first phone ringing
    /// (its call placed), over the period's ring groups; null without one.
    pub first_ring_p50_seconds: Option<f64>,
    /// Median seconds from an escalation opening to a member claiming it,
    /// over the period's claimed escalations; null without one.
    pub claim_p50_seconds: Option<f64>,
    /// Escalations opened in the period that nobody has claimed and that
    /// are not closed.
    pub escalations_unclaimed: i64,
    /// Per team member rung in the period, by name.
    pub agents: Vec<AgentStats>,
}

/// The chart's figures for one local day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayFigures {
    /// The day.
    pub date: jiff::civil::Date,
    /// Ring groups started.
    pub ring_groups: i64,
    /// Of them, accepted.
    pub answered: i64,
    /// Escalations opened.
    pub escalations: i64,
}

/// The middle value of `values` (the mean of the two middle ones for an
/// even count); `None` when empty.
pub fn median(values: &mut [f64]) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => None,
        n if n % 2 == 1 => Some(values[n / 2]),
        n => Some((values[n / 2 - 1] + values[n / 2]) / 2.0),
    }
}

fn seconds_between(from: Timestamp, to: Timestamp) -> f64 {
    (to.as_millisecond() - from.as_millisecond()) as f64 / 1000.0
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn ratio(part: i64, whole: i64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

impl Stats {
    /// The figures for instants in `[from, to)` out of `facts` (which may
    /// cover a wider range).
    pub fn from_facts(facts: &StatsFacts, from: Timestamp, to: Timestamp) -> Self {
        let within = |at: Timestamp| from <= at && at < to;
        let groups: Vec<&RingGroupFact> = facts
            .ring_groups
            .iter()
            .filter(|g| within(g.started_at))
            .collect();
        let accepted: Vec<(&RingGroupFact, Timestamp)> = groups
            .iter()
            .filter_map(|g| g.accepted_at.map(|at| (*g, at)))
            .collect();
        let ring_seconds: Vec<f64> = accepted
            .iter()
            .map(|(g, at)| seconds_between(g.started_at, *at))
            .collect();
        let mut to_lead: Vec<f64> = accepted
            .iter()
            .map(|(g, at)| seconds_between(g.hot_sms_at.unwrap_or(g.started_at), *at))
            .collect();
        let mut first_ring: Vec<f64> = groups
            .iter()
            .filter_map(|g| Some(seconds_between(g.hot_sms_at?, g.first_call_at?)))
            .collect();
        let escalations: Vec<&EscalationFact> = facts
            .escalations
            .iter()
            .filter(|e| within(e.opened_at))
            .collect();
        let mut to_claim: Vec<f64> = escalations
            .iter()
            .filter_map(|e| Some(seconds_between(e.opened_at, e.claimed_at?)))
            .collect();
        let mut hot = HashSet::new();
        let mut hot_closed = HashSet::new();
        for (at, lead, open) in &facts.hot_decisions {
            if within(*at) {
                hot.insert(*lead);
                if !open {
                    hot_closed.insert(*lead);
                }
            }
        }
        let hot_leads = count(hot.len());
        let appointments = count(facts.bookings.iter().filter(|at| within(**at)).count());
        let ring_groups = count(groups.len());
        let answered = count(accepted.len());
        Self {
            ring_groups,
            answered,
            answer_rate: ratio(answered, ring_groups),
            avg_ring_seconds: if ring_seconds.is_empty() {
                0.0
            } else {
                ring_seconds.iter().sum::<f64>() / ring_seconds.len() as f64
            },
            escalations: count(escalations.len()),
            escalations_no_answer: count(escalations.iter().filter(|e| e.no_answer).count()),
            escalations_unclaimed: count(
                escalations
                    .iter()
                    .filter(|e| e.claimed_at.is_none() && e.closed_at.is_none())
                    .count(),
            ),
            first_ring_p50_seconds: median(&mut first_ring),
            claim_p50_seconds: median(&mut to_claim),
            hot_leads,
            after_hours_hot_leads: count(hot_closed.len()),
            speed_to_lead_p50_seconds: median(&mut to_lead).unwrap_or(0.0),
            appointments,
            conversion_to_appointment: ratio(appointments, hot_leads),
            agents: agents(facts.legs.iter().filter(|l| within(l.created_at))),
        }
    }
}

fn agents<'a>(legs: impl Iterator<Item = &'a LegFact>) -> Vec<AgentStats> {
    let mut by_member: BTreeMap<uuid::Uuid, (String, i64, i64, i64, Vec<f64>)> = BTreeMap::new();
    for leg in legs {
        let Some(member) = leg.team_member_id else {
            continue;
        };
        let entry = by_member
            .entry(member)
            .or_insert_with(|| (leg.name.clone().unwrap_or_default(), 0, 0, 0, Vec::new()));
        entry.1 += 1;
        if let Some(won_at) = leg.won_at {
            entry.2 += 1;
            entry.4.push(seconds_between(leg.created_at, won_at));
        } else if matches!(
            leg.status,
            LegStatus::Busy | LegStatus::NoAnswer | LegStatus::Failed
        ) || (leg.status == LegStatus::Completed && !leg.lost_to_another)
        {
            entry.3 += 1;
        }
    }
    let mut agents: Vec<AgentStats> = by_member
        .into_iter()
        .map(
            |(id, (name, rung, accepted, missed, mut seconds))| AgentStats {
                team_member_id: id.to_string(),
                name,
                rung,
                accepted,
                missed,
                median_seconds_to_accept: median(&mut seconds),
            },
        )
        .collect();
    agents.sort_by(|a, b| {
        a.name
            .cmp(&b.name)
            .then(a.team_member_id.cmp(&b.team_member_id))
    });
    agents
}

impl DayFigures {
    /// The chart's figures for `date`, whose local day is `[from, to)`.
    pub fn from_facts(
        facts: &StatsFacts,
        date: jiff::civil::Date,
        from: Timestamp,
        to: Timestamp,
    ) -> Self {
        let within = |at: Timestamp| from <= at && at < to;
        let groups = facts.ring_groups.iter().filter(|g| within(g.started_at));
        let (mut ring_groups, mut answered) = (0, 0);
        for group in groups {
            ring_groups += 1;
            if group.accepted_at.is_some() {
                answered += 1;
            }
        }
        Self {
            date,
            ring_groups,
            answered,
            escalations: count(
                facts
                    .escalations
                    .iter()
                    .filter(|e| within(e.opened_at))
                    .count(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn member(n: u128) -> Option<uuid::Uuid> {
        Some(uuid::Uuid::from_u128(n))
    }

    #[test]
    fn ring_time_and_speed_to_lead_measure_different_spans() {
        let facts = StatsFacts {
            ring_groups: vec![
                RingGroupFact {
                    started_at: at("2026-11-23T17:00:02Z"),
                    accepted_at: Some(at("2026-11-23T17:00:12Z")),
                    hot_sms_at: Some(at("2026-11-23T17:00:00Z")),
                    first_call_at: Some(at("2026-11-23T17:00:02.5Z")),
                },
                RingGroupFact {
                    started_at: at("2026-11-23T18:00:01Z"),
                    accepted_at: Some(at("2026-11-23T18:00:21Z")),
                    hot_sms_at: Some(at("2026-11-23T18:00:00Z")),
                    first_call_at: Some(at("2026-11-23T18:00:01.5Z")),
                },
                RingGroupFact {
                    started_at: at("2026-11-23T19:00:00Z"),
                    accepted_at: None,
                    hot_sms_at: Some(at("2026-11-23T19:00:00Z")),
                    first_call_at: Some(at("2026-11-23T19:00:00.5Z")),
                },
            ],
            ..StatsFacts::default()
        };
        let stats = Stats::from_facts(
            &facts,
            at("2026-11-23T00:00:00Z"),
            at("2026-11-24T00:00:00Z"),
        );
        assert_eq!((stats.ring_groups, stats.answered), (3, 2));
        assert!((stats.answer_rate - 2.0 / 3.0).abs() < 1e-9);
        // Ring start to acceptance: 10 s and 20 s.
        assert!((stats.avg_ring_seconds - 15.0).abs() < 1e-9);
        // SMS to acceptance: 12 s and 21 s.
        assert!((stats.speed_to_lead_p50_seconds - 16.5).abs() < 1e-9);
        // SMS to the first phone ringing: 2.5 s, 1.5 s and 0.5 s, accepted
        // or not.
        assert_eq!(stats.first_ring_p50_seconds, Some(1.5));
        let none = Stats::from_facts(
            &facts,
            at("2026-11-25T00:00:00Z"),
            at("2026-11-26T00:00:00Z"),
        );
        assert_eq!(none, Stats::default());
    }

    #[test]
    fn agents_count_rung_accepted_and_missed_but_not_cancelled_legs() {
        let leg = |who: u128, status: LegStatus, won: Option<&str>| LegFact {
            team_member_id: member(who),
            name: Some(format!("Agent {who}")),
            status,
            created_at: at("2026-11-23T17:00:00Z"),
            won_at: won.map(at),
            lost_to_another: false,
        };
        let facts = StatsFacts {
            legs: vec![
                leg(1, LegStatus::Completed, Some("2026-11-23T17:00:08Z")),
                leg(2, LegStatus::Canceled, None),
                leg(2, LegStatus::NoAnswer, None),
                leg(2, LegStatus::Completed, None),
                // Answered, then ended because someone else pressed 1 first.
                LegFact {
                    lost_to_another: true,
                    ..leg(3, LegStatus::Completed, None)
                },
                leg(3, LegStatus::Busy, None),
                LegFact {
                    team_member_id: None,
                    ..leg(4, LegStatus::Failed, None)
                },
            ],
            ..StatsFacts::default()
        };
        let stats = Stats::from_facts(
            &facts,
            at("2026-11-23T00:00:00Z"),
            at("2026-11-24T00:00:00Z"),
        );
        let agents: Vec<(&str, i64, i64, i64, Option<f64>)> = stats
            .agents
            .iter()
            .map(|a| {
                (
                    a.name.as_str(),
                    a.rung,
                    a.accepted,
                    a.missed,
                    a.median_seconds_to_accept,
                )
            })
            .collect();
        assert_eq!(
            agents,
            [
                ("Agent 1", 1, 1, 0, Some(8.0)),
                ("Agent 2", 3, 0, 2, None),
                ("Agent 3", 2, 0, 1, None),
            ]
        );
    }

    #[test]
    fn hot_leads_are_counted_once_and_conversion_follows_bookings() {
        let lead = uuid::Uuid::from_u128(7);
        let facts = StatsFacts {
            hot_decisions: vec![
                (at("2026-11-23T03:00:00Z"), lead, false),
                (at("2026-11-23T17:00:00Z"), lead, true),
                (at("2026-11-23T17:30:00Z"), uuid::Uuid::from_u128(8), true),
            ],
            bookings: vec![at("2026-11-23T20:00:00Z")],
            escalations: vec![
                EscalationFact {
                    opened_at: at("2026-11-23T03:00:01Z"),
                    no_answer: false,
                    claimed_at: Some(at("2026-11-23T03:12:01Z")),
                    closed_at: None,
                },
                EscalationFact {
                    opened_at: at("2026-11-23T17:01:00Z"),
                    no_answer: true,
                    claimed_at: None,
                    closed_at: None,
                },
                // Closed without a claim: not waiting any more.
                EscalationFact {
                    opened_at: at("2026-11-23T18:01:00Z"),
                    no_answer: true,
                    claimed_at: None,
                    closed_at: Some(at("2026-11-23T18:30:00Z")),
                },
            ],
            ..StatsFacts::default()
        };
        let stats = Stats::from_facts(
            &facts,
            at("2026-11-23T00:00:00Z"),
            at("2026-11-24T00:00:00Z"),
        );
        assert_eq!(
            (
                stats.hot_leads,
                stats.after_hours_hot_leads,
                stats.appointments
            ),
            (2, 1, 1)
        );
        assert!((stats.conversion_to_appointment - 0.5).abs() < 1e-9);
        assert_eq!((stats.escalations, stats.escalations_no_answer), (3, 2));
        // Claimed after 12 minutes; the other still waits.
        assert_eq!(stats.claim_p50_seconds, Some(720.0));
        assert_eq!(stats.escalations_unclaimed, 1);
    }

    #[test]
    fn the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0, 10.0]), Some(2.5));
        assert_eq!(median(&mut []), None);
    }
}
