//! Converting domain values to and from database columns.

use chrono::{DateTime, Utc};
use hotline_domain::Timestamp;
use hotline_domain::intent::{Evidence, IntentAssessment, IntentScore};
use hotline_domain::routing::model::{
    EscalationReason, LeadStatus, LegStatus, RingGroupStatus, RoutingOutcome,
};
use hotline_domain::routing::ports::StoreError;

/// An instant as a UTC date-time, at microsecond precision (PostgreSQL's).
pub fn to_db_time(at: Timestamp) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(at.as_microsecond()).unwrap_or_default()
}

/// A UTC date-time as an instant.
pub fn from_db_time(at: DateTime<Utc>) -> Timestamp {
    Timestamp::from_microsecond(at.timestamp_micros()).unwrap_or(Timestamp::UNIX_EPOCH)
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Unavailable(format!("stored {what} {value:?} is not valid"))
}

/// Text of a lead status.
pub fn lead_status(status: LeadStatus) -> &'static str {
    match status {
        LeadStatus::New => "new",
        LeadStatus::Ringing => "ringing",
        LeadStatus::Connected => "connected",
        LeadStatus::Escalated => "escalated",
        LeadStatus::Claimed => "claimed",
        LeadStatus::Booked => "booked",
    }
}

/// A lead status from its text.
pub fn parse_lead_status(text: &str) -> Result<LeadStatus, StoreError> {
    [
        LeadStatus::New,
        LeadStatus::Ringing,
        LeadStatus::Connected,
        LeadStatus::Escalated,
        LeadStatus::Claimed,
        LeadStatus::Booked,
    ]
    .into_iter()
    .find(|s| lead_status(*s) == text)
    .ok_or_else(|| corrupt("lead status", text))
}

const LEG_STATUSES: [LegStatus; 11] = [
    LegStatus::Pending,
    LegStatus::Dialing,
    LegStatus::Queued,
    LegStatus::Initiated,
    LegStatus::Ringing,
    LegStatus::InProgress,
    LegStatus::Completed,
    LegStatus::Busy,
    LegStatus::NoAnswer,
    LegStatus::Failed,
    LegStatus::Canceled,
];

/// Text of a leg status.
pub fn leg_status(status: LegStatus) -> &'static str {
    match status {
        LegStatus::Pending => "pending",
        LegStatus::Dialing => "dialing",
        LegStatus::Queued => "queued",
        LegStatus::Initiated => "initiated",
        LegStatus::Ringing => "ringing",
        LegStatus::InProgress => "in-progress",
        LegStatus::Completed => "completed",
        LegStatus::Busy => "busy",
        LegStatus::NoAnswer => "no-answer",
        LegStatus::Failed => "failed",
        LegStatus::Canceled => "canceled",
    }
}

/// The order of a leg status: a leg only moves to a higher rank.
pub fn leg_rank(status: LegStatus) -> i32 {
    LEG_STATUSES
        .iter()
        .position(|s| *s == status)
        .map_or(0, |i| i as i32)
}

/// The rank from which a leg has ended.
pub fn first_terminal_rank() -> i32 {
    leg_rank(LegStatus::Completed)
}

/// A leg status from its text.
pub fn parse_leg_status(text: &str) -> Result<LegStatus, StoreError> {
    LEG_STATUSES
        .into_iter()
        .find(|s| leg_status(*s) == text)
        .ok_or_else(|| corrupt("leg status", text))
}

/// Text of a ring group status.
pub fn group_status(status: RingGroupStatus) -> &'static str {
    match status {
        RingGroupStatus::Ringing => "ringing",
        RingGroupStatus::Answered => "answered",
        RingGroupStatus::Exhausted => "exhausted",
    }
}

/// A ring group status from its text.
pub fn parse_group_status(text: &str) -> Result<RingGroupStatus, StoreError> {
    [
        RingGroupStatus::Ringing,
        RingGroupStatus::Answered,
        RingGroupStatus::Exhausted,
    ]
    .into_iter()
    .find(|s| group_status(*s) == text)
    .ok_or_else(|| corrupt("ring group status", text))
}

/// Text of an escalation reason.
pub fn reason(reason: EscalationReason) -> &'static str {
    match reason {
        EscalationReason::OutOfHours => "out_of_hours",
        EscalationReason::NoAnswer => "no_answer",
        EscalationReason::NoTeam => "no_team",
    }
}

/// An escalation reason from its text.
pub fn parse_reason(text: &str) -> Result<EscalationReason, StoreError> {
    [
        EscalationReason::OutOfHours,
        EscalationReason::NoAnswer,
        EscalationReason::NoTeam,
    ]
    .into_iter()
    .find(|r| reason(*r) == text)
    .ok_or_else(|| corrupt("escalation reason", text))
}

/// Text of a routing outcome (its serde name).
pub fn outcome(outcome: RoutingOutcome) -> String {
    serde_json::to_value(outcome)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// A routing outcome from its text.
pub fn parse_outcome(text: &str) -> Result<RoutingOutcome, StoreError> {
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
        .map_err(|_| corrupt("routing outcome", text))
}

/// Signals as a JSON array.
pub fn signals(signals: &[Evidence]) -> String {
    serde_json::to_string(signals).unwrap_or_else(|_| "[]".to_owned())
}

/// An assessment from its stored parts.
pub fn assessment(score: f64, hot: bool, signals: &str) -> Result<IntentAssessment, StoreError> {
    let signals: Vec<Evidence> =
        serde_json::from_str(signals).map_err(|_| corrupt("signals", signals))?;
    Ok(IntentAssessment {
        score: IntentScore::new(score),
        hot,
        signals,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_round_trips_and_leg_ranks_follow_the_domain_order() {
        for status in LEG_STATUSES {
            assert_eq!(parse_leg_status(leg_status(status)), Ok(status));
        }
        for pair in LEG_STATUSES.windows(2) {
            assert!(leg_rank(pair[0]) < leg_rank(pair[1]));
            assert!(pair[0] < pair[1]);
        }
        assert_eq!(
            parse_outcome(&outcome(RoutingOutcome::EscalatedClosed)),
            Ok(RoutingOutcome::EscalatedClosed)
        );
        assert!(parse_lead_status("flying").is_err());
    }

    #[test]
    fn instants_keep_microseconds() {
        let at: Timestamp = "2026-11-23T21:00:00.123456789Z"
            .parse()
            .unwrap_or(Timestamp::UNIX_EPOCH);
        assert_eq!(
            from_db_time(to_db_time(at)).to_string(),
            "2026-11-23T21:00:00.123456Z"
        );
    }
}
