//! Rows to domain values, and the column lists they read.

use chrono::{DateTime, Utc};
use hotline_domain::routing::model::{
    CallAttempt, CallAttemptId, CallSid, Client, Escalation, EscalationId, FollowThrough, Lead,
    MessageSid, RingGroup, RingGroupId, RingStrategyKind, RoutingDecision, TeamMember,
};
use hotline_domain::routing::ports::StoreError;
use hotline_domain::{ClientId, LeadId, PhoneNumber, TeamMemberId, TimeZoneName, Timestamp};
use sea_orm::{QueryResult, Value};
use uuid::Uuid;

use crate::codec::{self, from_db_time};
use crate::db::get;

pub(super) fn corrupt(what: &str) -> StoreError {
    StoreError::Unavailable(format!("stored {what} is not valid"))
}

pub(super) fn phone(row: &QueryResult, column: &str) -> Result<PhoneNumber, StoreError> {
    PhoneNumber::parse(&get::<String>(row, column)?).map_err(|_| corrupt(column))
}

pub(super) fn time(row: &QueryResult, column: &str) -> Result<Timestamp, StoreError> {
    get::<DateTime<Utc>>(row, column).map(from_db_time)
}

pub(super) fn optional_time(
    row: &QueryResult,
    column: &str,
) -> Result<Option<Timestamp>, StoreError> {
    get::<Option<DateTime<Utc>>>(row, column).map(|t| t.map(from_db_time))
}

pub(super) fn id(value: Uuid) -> Value {
    value.into()
}

pub(crate) const CLIENT_COLUMNS: &str = "id, name, twilio_number, timezone, out_of_hours_reply, record_calls, \
     ring_strategy, tier_delay_seconds, lead_ack_reply, lead_missed_text, escalation_reminder_seconds, \
     escalation_manager_phone, escalation_manager_after_seconds, \
     EXISTS (SELECT 1 FROM webhook_endpoints w WHERE w.client_id = clients.id) AS has_webhooks";
pub(crate) const MEMBER_COLUMNS: &str =
    "id, client_id, name, phone, receives_hot_transfers, active, priority, available";
pub(super) const LEAD_COLUMNS: &str = "id, client_id, phone, status, opted_out";
pub(super) const GROUP_COLUMNS: &str = "id, client_id, lead_id, status, winner_attempt_id, started_at, deadline, strategy, lead_call_sid";
pub(super) const ATTEMPT_COLUMNS: &str = "id, ring_group_id, lead_id, client_id, team_member_id, phone, call_sid, \
     leg_status, last_sequence, answered_by, duration, answered, transferred_to_agent, created_at, tier";
pub(super) const ESCALATION_COLUMNS: &str =
    "id, client_id, lead_id, reason, claimed_by, created_at, claimed_at";

/// A client's settings as the parameters `$1..$14` of its insert and its
/// update: id, name, number, zone, reply, recording, `now`, strategy,
/// tier delay, then the five follow-through columns.
pub(crate) fn client_values(client: &Client, now: Timestamp) -> Vec<Value> {
    let seconds = |value: Option<u32>| value.map(|s| i32::try_from(s).unwrap_or(i32::MAX));
    let chase = &client.follow_through;
    vec![
        id(client.id.as_uuid()),
        client.name.clone().into(),
        client.twilio_number.to_string().into(),
        client.timezone.as_str().to_owned().into(),
        client.out_of_hours_reply.clone().into(),
        client.record_calls.into(),
        codec::to_db_time(now).into(),
        client.ring_strategy.as_str().into(),
        i32::try_from(client.tier_delay_seconds)
            .unwrap_or(i32::MAX)
            .into(),
        chase.lead_ack_reply.clone().into(),
        chase.lead_missed_text.clone().into(),
        seconds(chase.reminder_after_seconds).into(),
        chase.manager_phone.as_ref().map(ToString::to_string).into(),
        seconds(chase.manager_after_seconds).into(),
    ]
}

pub(crate) fn client_row(row: &QueryResult) -> Result<Client, StoreError> {
    Ok(Client {
        id: ClientId::from_uuid(get(row, "id")?),
        name: get(row, "name")?,
        twilio_number: phone(row, "twilio_number")?,
        timezone: TimeZoneName::parse(&get::<String>(row, "timezone")?)
            .map_err(|_| corrupt("timezone"))?,
        out_of_hours_reply: get(row, "out_of_hours_reply")?,
        record_calls: get(row, "record_calls")?,
        ring_strategy: RingStrategyKind::parse(&get::<String>(row, "ring_strategy")?)
            .ok_or_else(|| corrupt("ring_strategy"))?,
        tier_delay_seconds: u32::try_from(get::<i32>(row, "tier_delay_seconds")?).unwrap_or(15),
        follow_through: FollowThrough {
            lead_ack_reply: get(row, "lead_ack_reply")?,
            lead_missed_text: get(row, "lead_missed_text")?,
            reminder_after_seconds: get::<Option<i32>>(row, "escalation_reminder_seconds")?
                .and_then(|s| u32::try_from(s).ok()),
            manager_phone: get::<Option<String>>(row, "escalation_manager_phone")?
                .map(|p| PhoneNumber::parse(&p).map_err(|_| corrupt("escalation_manager_phone")))
                .transpose()?,
            manager_after_seconds: get::<Option<i32>>(row, "escalation_manager_after_seconds")?
                .and_then(|s| u32::try_from(s).ok()),
        },
        has_webhooks: get(row, "has_webhooks")?,
    })
}

pub(crate) fn member_row(row: &QueryResult) -> Result<TeamMember, StoreError> {
    Ok(TeamMember {
        id: TeamMemberId::from_uuid(get(row, "id")?),
        client_id: ClientId::from_uuid(get(row, "client_id")?),
        name: get(row, "name")?,
        phone: phone(row, "phone")?,
        receives_hot_transfers: get(row, "receives_hot_transfers")?,
        active: get(row, "active")?,
        priority: u32::try_from(get::<i32>(row, "priority")?).unwrap_or(100),
        available: get(row, "available")?,
    })
}

pub(super) fn lead_row(row: &QueryResult) -> Result<Lead, StoreError> {
    Ok(Lead {
        id: LeadId::from_uuid(get(row, "id")?),
        client_id: ClientId::from_uuid(get(row, "client_id")?),
        phone: phone(row, "phone")?,
        status: codec::parse_lead_status(&get::<String>(row, "status")?)?,
        opted_out: get(row, "opted_out")?,
    })
}

pub(super) fn group_row(row: &QueryResult) -> Result<RingGroup, StoreError> {
    Ok(RingGroup {
        id: RingGroupId(get(row, "id")?),
        client_id: ClientId::from_uuid(get(row, "client_id")?),
        lead_id: LeadId::from_uuid(get(row, "lead_id")?),
        status: codec::parse_group_status(&get::<String>(row, "status")?)?,
        winner: get::<Option<Uuid>>(row, "winner_attempt_id")?.map(CallAttemptId),
        started_at: time(row, "started_at")?,
        deadline: time(row, "deadline")?,
        strategy: RingStrategyKind::parse(&get::<String>(row, "strategy")?)
            .ok_or_else(|| corrupt("strategy"))?,
        lead_call_sid: get::<Option<String>>(row, "lead_call_sid")?.map(CallSid),
    })
}

pub(super) fn attempt_row(row: &QueryResult) -> Result<CallAttempt, StoreError> {
    let unsigned = |column: &str| -> Result<Option<u32>, StoreError> {
        Ok(get::<Option<i32>>(row, column)?.and_then(|v| u32::try_from(v).ok()))
    };
    Ok(CallAttempt {
        id: CallAttemptId(get(row, "id")?),
        ring_group_id: RingGroupId(get(row, "ring_group_id")?),
        lead_id: LeadId::from_uuid(get(row, "lead_id")?),
        client_id: ClientId::from_uuid(get(row, "client_id")?),
        team_member_id: TeamMemberId::from_uuid(
            get::<Option<Uuid>>(row, "team_member_id")?.unwrap_or_default(),
        ),
        phone: phone(row, "phone")?,
        call_sid: get::<Option<String>>(row, "call_sid")?.map(CallSid),
        status: codec::parse_leg_status(&get::<String>(row, "leg_status")?)?,
        last_sequence: unsigned("last_sequence")?,
        answered_by: get(row, "answered_by")?,
        answered: get(row, "answered")?,
        transferred_to_agent: get(row, "transferred_to_agent")?,
        duration_seconds: unsigned("duration")?,
        tier: unsigned("tier")?.unwrap_or(1),
        created_at: time(row, "created_at")?,
    })
}

pub(super) fn escalation_row(row: &QueryResult) -> Result<Escalation, StoreError> {
    Ok(Escalation {
        id: EscalationId(get(row, "id")?),
        client_id: ClientId::from_uuid(get(row, "client_id")?),
        lead_id: LeadId::from_uuid(get(row, "lead_id")?),
        reason: codec::parse_reason(&get::<String>(row, "reason")?)?,
        claimed_by: get::<Option<Uuid>>(row, "claimed_by")?.map(TeamMemberId::from_uuid),
        created_at: time(row, "created_at")?,
        claimed_at: optional_time(row, "claimed_at")?,
    })
}

pub(super) fn decision_row(row: &QueryResult) -> Result<RoutingDecision, StoreError> {
    Ok(RoutingDecision {
        message_sid: MessageSid(get(row, "message_sid")?),
        client_id: ClientId::from_uuid(get(row, "client_id")?),
        lead_id: LeadId::from_uuid(get(row, "lead_id")?),
        outcome: codec::parse_outcome(&get::<String>(row, "outcome")?)?,
        assessment: codec::assessment(
            get(row, "intent_score")?,
            get(row, "hot")?,
            &get::<String>(row, "signals")?,
        )?,
        open: get(row, "was_open")?,
        next_open: optional_time(row, "next_open")?,
        reply: get(row, "reply")?,
        decided_at: time(row, "decided_at")?,
    })
}
