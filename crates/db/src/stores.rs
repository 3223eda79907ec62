//! The routing policy's store ports on the database.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use hotline_domain::routing::model::{
    Acceptance, CallAttempt, CallAttemptId, CallSid, ClaimOutcome, Client, Escalation,
    EscalationId, EscalationOpen, InboundMessage, Lead, LeadStatus, LegUpdate, MessageRecorded,
    MessageSid, NewMessage, NewRingGroup, RingGroup, RingGroupId, RingGroupStart, RingGroupStatus,
    RoutingDecision, RoutingOutcome, TeamMember,
};
use hotline_domain::routing::ports::{
    ClientStore, EscalationStore, LeadStore, RingGroupStore, StoreError, record_inbound_in_steps,
};
use hotline_domain::schedule::{ClosureEntry, HoursEntry};
use hotline_domain::{
    ClientId, LeadId, PhoneNumber, ScheduleDocument, TeamMemberId, TimeZoneName, Timestamp,
    WeeklySchedule,
};
use sea_orm::{QueryResult, TransactionTrait, Value};
use uuid::Uuid;

use crate::codec::{
    self, first_terminal_rank, from_db_time, group_status, leg_rank, leg_status, to_db_time,
};
use crate::db::{Db, exec, get, query_all, query_one};
use crate::error::store_error;

fn corrupt(what: &str) -> StoreError {
    StoreError::Unavailable(format!("stored {what} is not valid"))
}

fn phone(row: &QueryResult, column: &str) -> Result<PhoneNumber, StoreError> {
    PhoneNumber::parse(&get::<String>(row, column)?).map_err(|_| corrupt(column))
}

fn time(row: &QueryResult, column: &str) -> Result<Timestamp, StoreError> {
    get::<DateTime<Utc>>(row, column).map(from_db_time)
}

fn optional_time(row: &QueryResult, column: &str) -> Result<Option<Timestamp>, StoreError> {
    get::<Option<DateTime<Utc>>>(row, column).map(|t| t.map(from_db_time))
}

fn id(value: Uuid) -> Value {
    value.into()
}

pub(crate) const CLIENT_COLUMNS: &str =
    "id, name, twilio_number, timezone, out_of_hours_reply, record_calls";
pub(crate) const MEMBER_COLUMNS: &str =
    "id, client_id, name, phone, receives_hot_transfers, active";
const LEAD_COLUMNS: &str = "id, client_id, phone, status, opted_out";
const GROUP_COLUMNS: &str =
    "id, client_id, lead_id, status, winner_attempt_id, started_at, deadline";
const ATTEMPT_COLUMNS: &str = "id, ring_group_id, lead_id, client_id, team_member_id, phone, call_sid, \
     leg_status, last_sequence, answered_by, duration, answered, transferred_to_agent, created_at";
const ESCALATION_COLUMNS: &str =
    "id, client_id, lead_id, reason, claimed_by, created_at, claimed_at";

pub(crate) fn client_row(row: &QueryResult) -> Result<Client, StoreError> {
    Ok(Client {
        id: ClientId::from_uuid(get(row, "id")?),
        name: get(row, "name")?,
        twilio_number: phone(row, "twilio_number")?,
        timezone: TimeZoneName::parse(&get::<String>(row, "timezone")?)
            .map_err(|_| corrupt("timezone"))?,
        out_of_hours_reply: get(row, "out_of_hours_reply")?,
        record_calls: get(row, "record_calls")?,
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
    })
}

fn lead_row(row: &QueryResult) -> Result<Lead, StoreError> {
    Ok(Lead {
        id: LeadId::from_uuid(get(row, "id")?),
        client_id: ClientId::from_uuid(get(row, "client_id")?),
        phone: phone(row, "phone")?,
        status: codec::parse_lead_status(&get::<String>(row, "status")?)?,
        opted_out: get(row, "opted_out")?,
    })
}

fn group_row(row: &QueryResult) -> Result<RingGroup, StoreError> {
    Ok(RingGroup {
        id: RingGroupId(get(row, "id")?),
        client_id: ClientId::from_uuid(get(row, "client_id")?),
        lead_id: LeadId::from_uuid(get(row, "lead_id")?),
        status: codec::parse_group_status(&get::<String>(row, "status")?)?,
        winner: get::<Option<Uuid>>(row, "winner_attempt_id")?.map(CallAttemptId),
        started_at: time(row, "started_at")?,
        deadline: time(row, "deadline")?,
    })
}

fn attempt_row(row: &QueryResult) -> Result<CallAttempt, StoreError> {
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
        created_at: time(row, "created_at")?,
    })
}

fn escalation_row(row: &QueryResult) -> Result<Escalation, StoreError> {
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

fn decision_row(row: &QueryResult) -> Result<RoutingDecision, StoreError> {
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

#[async_trait]
impl ClientStore for Db {
    async fn client_by_number(&self, number: &PhoneNumber) -> Result<Option<Client>, StoreError> {
        if let Some(cached) = self.cache.client_by_number(number.as_str()) {
            return Ok(cached);
        }
        let generation = self.cache.generation();
        let sql = format!("SELECT {CLIENT_COLUMNS} FROM clients WHERE twilio_number = $1");
        let client = query_one(&self.conn, &sql, vec![number.to_string().into()])
            .await?
            .as_ref()
            .map(client_row)
            .transpose()?;
        self.cache
            .put_client_by_number(generation, number.as_str(), client.clone());
        Ok(client)
    }

    async fn client(&self, client: ClientId) -> Result<Option<Client>, StoreError> {
        if let Some(cached) = self.cache.client(client) {
            return Ok(cached);
        }
        let generation = self.cache.generation();
        let sql = format!("SELECT {CLIENT_COLUMNS} FROM clients WHERE id = $1");
        let found = query_one(&self.conn, &sql, vec![id(client.as_uuid())])
            .await?
            .as_ref()
            .map(client_row)
            .transpose()?;
        self.cache.put_client(generation, client, found.clone());
        Ok(found)
    }

    async fn schedule(&self, client: ClientId) -> Result<Option<WeeklySchedule>, StoreError> {
        if let Some(cached) = self.cache.schedule(client) {
            return Ok(cached);
        }
        let generation = self.cache.generation();
        let schedule = self.read_schedule(client).await?;
        self.cache
            .put_schedule(generation, client, schedule.clone());
        Ok(schedule)
    }

    async fn team_member_by_phone(
        &self,
        client: ClientId,
        phone: &PhoneNumber,
    ) -> Result<Option<TeamMember>, StoreError> {
        Ok(self
            .active_team(client)
            .await?
            .into_iter()
            .find(|member| member.phone == *phone))
    }

    async fn team_member(&self, member: TeamMemberId) -> Result<Option<TeamMember>, StoreError> {
        let sql = format!("SELECT {MEMBER_COLUMNS} FROM team_members WHERE id = $1");
        query_one(&self.conn, &sql, vec![id(member.as_uuid())])
            .await?
            .as_ref()
            .map(member_row)
            .transpose()
    }

    async fn active_team(&self, client: ClientId) -> Result<Vec<TeamMember>, StoreError> {
        if let Some(cached) = self.cache.team(client) {
            return Ok(cached);
        }
        let generation = self.cache.generation();
        let sql = format!(
            "SELECT {MEMBER_COLUMNS} FROM team_members WHERE client_id = $1 AND active = $2 ORDER BY created_at, id"
        );
        let team: Vec<TeamMember> =
            query_all(&self.conn, &sql, vec![id(client.as_uuid()), true.into()])
                .await?
                .iter()
                .map(member_row)
                .collect::<Result<_, _>>()?;
        self.cache.put_team(generation, client, team.clone());
        Ok(team)
    }
}

#[async_trait]
impl LeadStore for Db {
    async fn upsert_lead(
        &self,
        client: ClientId,
        phone: &PhoneNumber,
        now: Timestamp,
    ) -> Result<Lead, StoreError> {
        let values = vec![
            id(Uuid::now_v7()),
            id(client.as_uuid()),
            phone.to_string().into(),
            false.into(),
            to_db_time(now).into(),
        ];
        let row = if self.backend() == sea_orm::DbBackend::Postgres {
            // One round trip: the inserted row, or the existing one.
            let sql = format!(
                "WITH inserted AS (\
                   INSERT INTO leads (id, client_id, phone, status, opted_out, created_at, updated_at) \
                   VALUES ($1, $2, $3, 'new', $4, $5, $5) ON CONFLICT (client_id, phone) DO NOTHING \
                   RETURNING {LEAD_COLUMNS}) \
                 SELECT {LEAD_COLUMNS} FROM inserted \
                 UNION ALL SELECT {LEAD_COLUMNS} FROM leads WHERE client_id = $2 AND phone = $3 \
                 AND NOT EXISTS (SELECT 1 FROM inserted)"
            );
            match query_one(&self.conn, &sql, values).await? {
                Some(row) => Some(row),
                // Another transaction created the lead after this statement's
                // snapshot: read it with a fresh one.
                None => self.lead_row_by_phone(client, phone).await?,
            }
        } else {
            exec(
                &self.conn,
                "INSERT INTO leads (id, client_id, phone, status, opted_out, created_at, updated_at) \
                 VALUES ($1, $2, $3, 'new', $4, $5, $5) ON CONFLICT (client_id, phone) DO NOTHING",
                values,
            )
            .await?;
            let sql =
                format!("SELECT {LEAD_COLUMNS} FROM leads WHERE client_id = $1 AND phone = $2");
            query_one(
                &self.conn,
                &sql,
                vec![id(client.as_uuid()), phone.to_string().into()],
            )
            .await?
        }
        .ok_or_else(|| StoreError::NotFound(format!("client {client}")))?;
        lead_row(&row)
    }

    async fn lead(&self, lead: LeadId) -> Result<Option<Lead>, StoreError> {
        let sql = format!("SELECT {LEAD_COLUMNS} FROM leads WHERE id = $1");
        query_one(&self.conn, &sql, vec![id(lead.as_uuid())])
            .await?
            .as_ref()
            .map(lead_row)
            .transpose()
    }

    async fn record_inbound(
        &self,
        message: &InboundMessage,
    ) -> Result<(Lead, MessageRecorded), StoreError> {
        if self.backend() != sea_orm::DbBackend::Postgres {
            return record_inbound_in_steps(self, message).await;
        }
        // One round trip and one commit: the lead (inserted or found), the
        // message, which a repeated sid leaves untouched, and a settled
        // decision with a new message.
        let sql = format!(
            "WITH new_lead AS (\
               INSERT INTO leads (id, client_id, phone, status, opted_out, created_at, updated_at) \
               VALUES ($1, $2, $3, 'new', FALSE, $4, $4) ON CONFLICT (client_id, phone) DO NOTHING \
               RETURNING {LEAD_COLUMNS}), \
             lead AS (\
               SELECT {LEAD_COLUMNS} FROM new_lead \
               UNION ALL SELECT {LEAD_COLUMNS} FROM leads WHERE client_id = $2 AND phone = $3 \
               AND NOT EXISTS (SELECT 1 FROM new_lead)), \
             message AS (\
               INSERT INTO messages (id, message_sid, client_id, lead_id, body, intent_score, hot, signals, received_at) \
               SELECT $5, $6, $2, lead.id, $7, $8, $9, $10, $4 FROM lead \
               ON CONFLICT (message_sid) DO NOTHING RETURNING lead_id), \
             decision AS (\
               INSERT INTO routing_decisions (message_sid, client_id, lead_id, outcome, intent_score, hot, signals, was_open, next_open, reply, decided_at) \
               SELECT $6, $2, message.lead_id, $11, $8, $9, $10, $12, $13, NULL, $4 FROM message WHERE $14 \
               ON CONFLICT (message_sid) DO NOTHING) \
             SELECT {LEAD_COLUMNS}, (SELECT COUNT(*) FROM message) AS inserted FROM lead"
        );
        let settled = message.settled;
        let row = query_one(
            &self.conn,
            &sql,
            vec![
                id(Uuid::now_v7()),
                id(message.client_id.as_uuid()),
                message.from.to_string().into(),
                to_db_time(message.received_at).into(),
                id(Uuid::now_v7()),
                message.sid.0.clone().into(),
                message.body.clone().into(),
                message.assessment.score.value().into(),
                message.assessment.hot.into(),
                codec::signals(&message.assessment.signals).into(),
                codec::outcome(RoutingOutcome::NotHot).into(),
                settled.is_some_and(|d| d.open).into(),
                settled.and_then(|d| d.next_open).map(to_db_time).into(),
                settled.is_some().into(),
            ],
        )
        .await?;
        let Some(row) = row else {
            // The lead was created by a concurrent transaction after this
            // statement's snapshot: take the two-step path, which sees it.
            return record_inbound_in_steps(self, message).await;
        };
        let lead = lead_row(&row)?;
        if get::<i64>(&row, "inserted")? == 1 {
            return Ok((lead, MessageRecorded::New));
        }
        let decision = self.decision_of(&message.sid).await?;
        Ok((lead, MessageRecorded::AlreadyStored { decision }))
    }

    async fn record_message(&self, message: &NewMessage) -> Result<MessageRecorded, StoreError> {
        let inserted = exec(
            &self.conn,
            "INSERT INTO messages (id, message_sid, client_id, lead_id, body, intent_score, hot, signals, received_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (message_sid) DO NOTHING",
            vec![
                id(Uuid::now_v7()),
                message.sid.0.clone().into(),
                id(message.client_id.as_uuid()),
                id(message.lead_id.as_uuid()),
                message.body.clone().into(),
                message.assessment.score.value().into(),
                message.assessment.hot.into(),
                codec::signals(&message.assessment.signals).into(),
                to_db_time(message.received_at).into(),
            ],
        )
        .await?;
        if inserted == 1 {
            return Ok(MessageRecorded::New);
        }
        let decision = self.decision_of(&message.sid).await?;
        Ok(MessageRecorded::AlreadyStored { decision })
    }

    async fn record_decision(&self, decision: &RoutingDecision) -> Result<(), StoreError> {
        exec(
            &self.conn,
            "INSERT INTO routing_decisions (message_sid, client_id, lead_id, outcome, intent_score, hot, signals, was_open, next_open, reply, decided_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (message_sid) DO NOTHING",
            vec![
                decision.message_sid.0.clone().into(),
                id(decision.client_id.as_uuid()),
                id(decision.lead_id.as_uuid()),
                codec::outcome(decision.outcome).into(),
                decision.assessment.score.value().into(),
                decision.assessment.hot.into(),
                codec::signals(&decision.assessment.signals).into(),
                decision.open.into(),
                decision.next_open.map(to_db_time).into(),
                decision.reply.clone().into(),
                to_db_time(decision.decided_at).into(),
            ],
        )
        .await
        .map(drop)
    }

    async fn last_message_body(&self, lead: LeadId) -> Result<Option<String>, StoreError> {
        let row = query_one(
            &self.conn,
            "SELECT body FROM messages WHERE lead_id = $1 ORDER BY received_at DESC, id DESC LIMIT 1",
            vec![id(lead.as_uuid())],
        )
        .await?;
        row.as_ref().map(|r| get::<String>(r, "body")).transpose()
    }

    async fn set_lead_status(
        &self,
        lead: LeadId,
        status: LeadStatus,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let changed = exec(
            &self.conn,
            "UPDATE leads SET status = $2, booked_at = CASE WHEN $2 = 'booked' THEN COALESCE(booked_at, $3) ELSE booked_at END WHERE id = $1",
            vec![id(lead.as_uuid()), codec::lead_status(status).into(), to_db_time(at).into()],
        )
        .await?;
        if changed == 0 {
            Err(StoreError::NotFound(format!("lead {lead}")))
        } else {
            Ok(())
        }
    }

    async fn set_opted_out(&self, lead: LeadId) -> Result<(), StoreError> {
        let changed = exec(
            &self.conn,
            "UPDATE leads SET opted_out = $2 WHERE id = $1",
            vec![id(lead.as_uuid()), true.into()],
        )
        .await?;
        if changed == 0 {
            Err(StoreError::NotFound(format!("lead {lead}")))
        } else {
            Ok(())
        }
    }

    async fn first_delivery(&self, key: &str, now: Timestamp) -> Result<bool, StoreError> {
        let inserted = exec(
            &self.conn,
            "INSERT INTO webhook_deliveries (delivery_key, received_at) VALUES ($1, $2) ON CONFLICT (delivery_key) DO NOTHING",
            vec![key.to_owned().into(), to_db_time(now).into()],
        )
        .await?;
        Ok(inserted == 1)
    }
}

#[async_trait]
impl RingGroupStore for Db {
    async fn due_ring_groups(
        &self,
        now: Timestamp,
        limit: u32,
    ) -> Result<Vec<RingGroupId>, StoreError> {
        let rows = query_all(
            &self.conn,
            "SELECT id FROM ring_groups WHERE status = 'ringing' AND deadline <= $1 ORDER BY deadline LIMIT $2",
            vec![to_db_time(now).into(), i64::from(limit).into()],
        )
        .await?;
        rows.iter()
            .map(|row| get::<uuid::Uuid>(row, "id").map(RingGroupId))
            .collect()
    }

    async fn start_ring_group(&self, new: &NewRingGroup) -> Result<RingGroupStart, StoreError> {
        if self.backend() != sea_orm::DbBackend::Postgres {
            return self.start_ring_group_in_steps(new).await;
        }
        // One statement, one commit: the lead's active-group slot decides,
        // and the group, its legs and the lead's status follow only when
        // the slot was free.
        let group = &new.group;
        let mut values: Vec<sea_orm::Value> = vec![
            id(group.lead_id.as_uuid()),
            id(group.id.0),
            id(group.client_id.as_uuid()),
            group_status(RingGroupStatus::Ringing).into(),
            to_db_time(group.started_at).into(),
            to_db_time(group.deadline).into(),
            codec::lead_status(LeadStatus::Ringing).into(),
        ];
        let mut rows = Vec::with_capacity(new.attempts.len());
        for attempt in &new.attempts {
            let b = values.len();
            rows.push(format!(
                "(${}, ${}, ${}, ${}, ${}, ${})",
                b + 1,
                b + 2,
                b + 3,
                b + 4,
                b + 5,
                b + 6
            ));
            values.extend([
                id(attempt.id.0),
                id(attempt.team_member_id.as_uuid()),
                attempt.phone.to_string().into(),
                leg_status(attempt.status).into(),
                leg_rank(attempt.status).into(),
                to_db_time(attempt.created_at).into(),
            ]);
        }
        let legs = if rows.is_empty() {
            String::new()
        } else {
            format!(
                "legs AS (\
                   INSERT INTO call_attempts (id, ring_group_id, lead_id, client_id, team_member_id, phone, \
                   leg_status, leg_rank, created_at, updated_at) \
                   SELECT v.id, grp.id, $1, $3, v.member, v.phone, v.status, v.rank, v.at, v.at \
                   FROM grp CROSS JOIN (VALUES {}) AS v(id, member, phone, status, rank, at)), ",
                rows.join(", ")
            )
        };
        let sql = format!(
            "WITH active AS (\
               INSERT INTO active_ring_groups (lead_id, ring_group_id) VALUES ($1, $2) \
               ON CONFLICT (lead_id) DO NOTHING RETURNING ring_group_id), \
             grp AS (\
               INSERT INTO ring_groups (id, client_id, lead_id, status, winner_attempt_id, started_at, deadline) \
               SELECT $2, $3, $1, $4, NULL, $5, $6 FROM active RETURNING id), \
             {legs}\
             lead AS (UPDATE leads SET status = $7 WHERE id = $1 AND EXISTS (SELECT 1 FROM grp)) \
             SELECT (SELECT COUNT(*) FROM grp) AS started, \
               (SELECT ring_group_id FROM active_ring_groups WHERE lead_id = $1) AS active"
        );
        let row = query_one(&self.conn, &sql, values).await?.ok_or_else(|| {
            StoreError::Unavailable("starting a ring group returned no row".into())
        })?;
        if get::<i64>(&row, "started")? == 1 {
            return Ok(RingGroupStart::Started);
        }
        // The slot was taken; a group started by a transaction this
        // statement could not see yet is read again with a fresh snapshot.
        let active = match get::<Option<Uuid>>(&row, "active")? {
            Some(active) => Some(active),
            None => query_one(
                &self.conn,
                "SELECT ring_group_id FROM active_ring_groups WHERE lead_id = $1",
                vec![id(group.lead_id.as_uuid())],
            )
            .await?
            .as_ref()
            .map(|r| get::<Uuid>(r, "ring_group_id"))
            .transpose()?,
        };
        Ok(RingGroupStart::AlreadyRinging(RingGroupId(
            active.unwrap_or(group.id.0),
        )))
    }

    async fn ring_group(&self, group: RingGroupId) -> Result<Option<RingGroup>, StoreError> {
        let sql = format!("SELECT {GROUP_COLUMNS} FROM ring_groups WHERE id = $1");
        query_one(&self.conn, &sql, vec![id(group.0)])
            .await?
            .as_ref()
            .map(group_row)
            .transpose()
    }

    async fn attempts(&self, group: RingGroupId) -> Result<Vec<CallAttempt>, StoreError> {
        let sql = format!(
            "SELECT {ATTEMPT_COLUMNS} FROM call_attempts WHERE ring_group_id = $1 ORDER BY created_at, id"
        );
        query_all(&self.conn, &sql, vec![id(group.0)])
            .await?
            .iter()
            .map(attempt_row)
            .collect()
    }

    async fn attempt(&self, attempt: CallAttemptId) -> Result<Option<CallAttempt>, StoreError> {
        let sql = format!("SELECT {ATTEMPT_COLUMNS} FROM call_attempts WHERE id = $1");
        query_one(&self.conn, &sql, vec![id(attempt.0)])
            .await?
            .as_ref()
            .map(attempt_row)
            .transpose()
    }

    async fn attempt_by_call_sid(&self, sid: &CallSid) -> Result<Option<CallAttempt>, StoreError> {
        let sql = format!("SELECT {ATTEMPT_COLUMNS} FROM call_attempts WHERE call_sid = $1");
        query_one(&self.conn, &sql, vec![sid.0.clone().into()])
            .await?
            .as_ref()
            .map(attempt_row)
            .transpose()
    }

    async fn claim_pending_legs(&self, group: RingGroupId) -> Result<Vec<CallAttempt>, StoreError> {
        use hotline_domain::routing::model::LegStatus;
        // The group is read by its key alone: a plan cached while the table
        // was small must not turn into a scan of every ringing group.
        let sql = format!(
            "UPDATE call_attempts SET leg_status = $2, leg_rank = $3 \
             WHERE ring_group_id = $1 AND leg_status = $4 \
             AND (SELECT g.status FROM ring_groups g WHERE g.id = $1) = $5 \
             RETURNING {ATTEMPT_COLUMNS}"
        );
        let rows = query_all(
            &self.conn,
            &sql,
            vec![
                id(group.0),
                leg_status(LegStatus::Dialing).into(),
                leg_rank(LegStatus::Dialing).into(),
                leg_status(LegStatus::Pending).into(),
                group_status(RingGroupStatus::Ringing).into(),
            ],
        )
        .await?;
        let mut claimed = rows
            .iter()
            .map(attempt_row)
            .collect::<Result<Vec<_>, _>>()?;
        claimed.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.0.cmp(&b.id.0)));
        Ok(claimed)
    }

    async fn record_call_placed(
        &self,
        attempt: CallAttemptId,
        sid: &CallSid,
    ) -> Result<bool, StoreError> {
        use hotline_domain::routing::model::LegStatus;
        // The update answers with the group's status in the same round trip.
        let row = query_one(
            &self.conn,
            "UPDATE call_attempts SET call_sid = $2, \
             leg_status = CASE WHEN leg_rank < $3 THEN $4 ELSE leg_status END, \
             leg_rank = CASE WHEN leg_rank < $3 THEN $3 ELSE leg_rank END \
             WHERE id = $1 AND (call_sid IS NULL OR call_sid = $2) \
             RETURNING (SELECT status FROM ring_groups WHERE ring_groups.id = call_attempts.ring_group_id) AS group_status",
            vec![
                id(attempt.0),
                sid.0.clone().into(),
                leg_rank(LegStatus::Queued).into(),
                leg_status(LegStatus::Queued).into(),
            ],
        )
        .await?;
        let status: Option<String> = match &row {
            Some(row) => get(row, "group_status")?,
            None => {
                // Another sid was recorded first: report on the group all the same.
                let found = self
                    .attempt(attempt)
                    .await?
                    .ok_or_else(|| StoreError::NotFound(format!("call attempt {attempt}")))?;
                self.ring_group(found.ring_group_id)
                    .await?
                    .map(|g| group_status(g.status).to_owned())
            }
        };
        Ok(status.as_deref() == Some(group_status(RingGroupStatus::Ringing)))
    }

    async fn advance_leg(
        &self,
        attempt: CallAttemptId,
        update: &LegUpdate,
    ) -> Result<(CallAttempt, bool), StoreError> {
        let sequence: Option<i32> = update.sequence.and_then(|s| i32::try_from(s).ok());
        let duration: Option<i32> = update.duration_seconds.and_then(|s| i32::try_from(s).ok());
        let changed = exec(
            &self.conn,
            "UPDATE call_attempts SET leg_status = $2, leg_rank = $3, \
             last_sequence = COALESCE($4, last_sequence), \
             answered_by = COALESCE($5, answered_by), \
             duration = COALESCE($6, duration) \
             WHERE id = $1 AND leg_rank < $3 AND leg_rank < $7 \
             AND ($4 IS NULL OR last_sequence IS NULL OR last_sequence < $4)",
            vec![
                id(attempt.0),
                leg_status(update.status).into(),
                leg_rank(update.status).into(),
                sequence.into(),
                update.answered_by.clone().into(),
                duration.into(),
                first_terminal_rank().into(),
            ],
        )
        .await?;
        let stored = self
            .attempt(attempt)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("call attempt {attempt}")))?;
        Ok((stored, changed == 1))
    }

    async fn accept(
        &self,
        attempt: CallAttemptId,
        at: Timestamp,
    ) -> Result<Acceptance, StoreError> {
        let found = self
            .attempt(attempt)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("call attempt {attempt}")))?;
        let txn = self.conn.begin().await.map_err(store_error)?;
        let won = exec(
            &txn,
            "UPDATE ring_groups SET winner_attempt_id = $2, status = $3, ended_at = $5 WHERE id = $1 AND status = $4 AND winner_attempt_id IS NULL",
            vec![
                id(found.ring_group_id.0),
                id(attempt.0),
                group_status(RingGroupStatus::Answered).into(),
                group_status(RingGroupStatus::Ringing).into(),
                to_db_time(at).into(),
            ],
        )
        .await?;
        if won == 1 {
            exec(
                &txn,
                "UPDATE call_attempts SET answered = $2, transferred_to_agent = $2 WHERE id = $1",
                vec![id(attempt.0), true.into()],
            )
            .await?;
            exec(
                &txn,
                "DELETE FROM active_ring_groups WHERE ring_group_id = $1",
                vec![id(found.ring_group_id.0)],
            )
            .await?;
            txn.commit().await.map_err(store_error)?;
            return Ok(Acceptance::Won);
        }
        drop(txn);
        let group = self.ring_group(found.ring_group_id).await?;
        Ok(if group.and_then(|g| g.winner) == Some(attempt) {
            Acceptance::Won
        } else {
            Acceptance::Lost
        })
    }

    async fn exhaust(
        &self,
        group: RingGroupId,
        escalation: &Escalation,
    ) -> Result<Option<EscalationId>, StoreError> {
        let txn = self.conn.begin().await.map_err(store_error)?;
        let changed = exec(
            &txn,
            "UPDATE ring_groups SET status = $2, ended_at = $4 WHERE id = $1 AND status = $3",
            vec![
                id(group.0),
                group_status(RingGroupStatus::Exhausted).into(),
                group_status(RingGroupStatus::Ringing).into(),
                to_db_time(escalation.created_at).into(),
            ],
        )
        .await?;
        if changed == 0 {
            return Ok(None);
        }
        exec(
            &txn,
            "DELETE FROM active_ring_groups WHERE ring_group_id = $1",
            vec![id(group.0)],
        )
        .await?;
        let open = open_escalation_in(&txn, escalation).await?;
        txn.commit().await.map_err(store_error)?;
        Ok(Some(match open {
            EscalationOpen::Opened => escalation.id,
            EscalationOpen::AlreadyOpen(existing) => existing,
        }))
    }
}

/// Opens `escalation` within `conn` unless the lead has an open one.
async fn open_escalation_in<C: sea_orm::ConnectionTrait>(
    conn: &C,
    escalation: &Escalation,
) -> Result<EscalationOpen, StoreError> {
    exec(
        conn,
        "INSERT INTO escalations (id, client_id, lead_id, reason, claimed_by, created_at, claimed_at) VALUES ($1, $2, $3, $4, NULL, $5, NULL)",
        vec![
            id(escalation.id.0),
            id(escalation.client_id.as_uuid()),
            id(escalation.lead_id.as_uuid()),
            codec::reason(escalation.reason).into(),
            to_db_time(escalation.created_at).into(),
        ],
    )
    .await?;
    let claimed = exec(
        conn,
        "INSERT INTO open_escalations (lead_id, escalation_id) VALUES ($1, $2) ON CONFLICT (lead_id) DO NOTHING",
        vec![id(escalation.lead_id.as_uuid()), id(escalation.id.0)],
    )
    .await?;
    if claimed == 1 {
        return Ok(EscalationOpen::Opened);
    }
    exec(
        conn,
        "DELETE FROM escalations WHERE id = $1",
        vec![id(escalation.id.0)],
    )
    .await?;
    let row = query_one(
        conn,
        "SELECT escalation_id FROM open_escalations WHERE lead_id = $1",
        vec![id(escalation.lead_id.as_uuid())],
    )
    .await?;
    let existing = row
        .as_ref()
        .map(|r| get::<Uuid>(r, "escalation_id"))
        .transpose()?
        .unwrap_or(escalation.id.0);
    Ok(EscalationOpen::AlreadyOpen(EscalationId(existing)))
}

#[async_trait]
impl EscalationStore for Db {
    async fn open_escalation(&self, escalation: &Escalation) -> Result<EscalationOpen, StoreError> {
        let txn = self.conn.begin().await.map_err(store_error)?;
        let open = open_escalation_in(&txn, escalation).await?;
        txn.commit().await.map_err(store_error)?;
        Ok(open)
    }

    async fn escalation(&self, escalation: EscalationId) -> Result<Option<Escalation>, StoreError> {
        let sql = format!("SELECT {ESCALATION_COLUMNS} FROM escalations WHERE id = $1");
        query_one(&self.conn, &sql, vec![id(escalation.0)])
            .await?
            .as_ref()
            .map(escalation_row)
            .transpose()
    }

    async fn open_escalations(&self, client: ClientId) -> Result<Vec<Escalation>, StoreError> {
        let sql = format!(
            "SELECT {ESCALATION_COLUMNS} FROM escalations WHERE client_id = $1 AND claimed_by IS NULL \
             AND id IN (SELECT escalation_id FROM open_escalations) ORDER BY created_at DESC, id DESC"
        );
        query_all(&self.conn, &sql, vec![id(client.as_uuid())])
            .await?
            .iter()
            .map(escalation_row)
            .collect()
    }

    async fn claim(
        &self,
        escalation: EscalationId,
        member: TeamMemberId,
        now: Timestamp,
    ) -> Result<ClaimOutcome, StoreError> {
        let txn = self.conn.begin().await.map_err(store_error)?;
        let claimed = exec(
            &txn,
            "UPDATE escalations SET claimed_by = $2, claimed_at = $3 WHERE id = $1 AND claimed_by IS NULL",
            vec![id(escalation.0), id(member.as_uuid()), to_db_time(now).into()],
        )
        .await?;
        if claimed == 1 {
            exec(
                &txn,
                "DELETE FROM open_escalations WHERE escalation_id = $1",
                vec![id(escalation.0)],
            )
            .await?;
            txn.commit().await.map_err(store_error)?;
            return Ok(ClaimOutcome::Claimed);
        }
        drop(txn);
        match self.escalation(escalation).await? {
            None => Err(StoreError::NotFound(format!("escalation {escalation}"))),
            Some(found) => match found.claimed_by {
                Some(owner) if owner == member => Ok(ClaimOutcome::Claimed),
                Some(owner) => Ok(ClaimOutcome::AlreadyClaimed(owner)),
                None => Err(StoreError::Unavailable(
                    "claim did not apply; retry".to_owned(),
                )),
            },
        }
    }

    async fn mark_notified(
        &self,
        escalation: EscalationId,
        member: TeamMemberId,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let inserted = exec(
            &self.conn,
            "INSERT INTO escalation_notifications (escalation_id, team_member_id, notified_at) VALUES ($1, $2, $3) \
             ON CONFLICT (escalation_id, team_member_id) DO NOTHING",
            vec![id(escalation.0), id(member.as_uuid()), to_db_time(at).into()],
        )
        .await?;
        Ok(inserted == 1)
    }
}

impl Db {
    /// The client's schedule as stored: zone and hours in one query, closures in another.
    async fn read_schedule(&self, client: ClientId) -> Result<Option<WeeklySchedule>, StoreError> {
        // The zone and the weekly hours in one round trip.
        let rows = query_all(
            &self.conn,
            "SELECT c.timezone, h.day_of_week, h.start_time, h.end_time, h.is_active \
             FROM clients c LEFT JOIN business_hours h ON h.client_id = c.id \
             WHERE c.id = $1 ORDER BY h.position",
            vec![id(client.as_uuid())],
        )
        .await?;
        let Some(first) = rows.first() else {
            return Ok(None);
        };
        let timezone: String = get(first, "timezone")?;
        let hours: Vec<&sea_orm::QueryResult> = rows
            .iter()
            .filter(|row| matches!(get::<Option<i32>>(row, "day_of_week"), Ok(Some(_))))
            .collect();
        let closures = query_all(
            &self.conn,
            "SELECT closed_on, reason FROM business_closures WHERE client_id = $1 ORDER BY position",
            vec![id(client.as_uuid())],
        )
        .await?;
        if hours.is_empty() && closures.is_empty() {
            return Ok(None);
        }
        let document = ScheduleDocument {
            timezone,
            hours: hours
                .iter()
                .map(|&row| {
                    Ok(HoursEntry {
                        day_of_week: i64::from(get::<i32>(row, "day_of_week")?),
                        start_time: get(row, "start_time")?,
                        end_time: get(row, "end_time")?,
                        is_active: get(row, "is_active")?,
                    })
                })
                .collect::<Result<_, StoreError>>()?,
            closures: closures
                .iter()
                .map(|row| {
                    Ok(ClosureEntry {
                        date: get::<NaiveDate>(row, "closed_on")?
                            .format("%Y-%m-%d")
                            .to_string(),
                        reason: get(row, "reason")?,
                    })
                })
                .collect::<Result<_, StoreError>>()?,
        };
        WeeklySchedule::from_document(&document)
            .map(Some)
            .map_err(|_| corrupt("schedule"))
    }
}

impl Db {
    /// [`RingGroupStore::start_ring_group`] as a transaction of several
    /// statements (SQLite).
    async fn start_ring_group_in_steps(
        &self,
        new: &NewRingGroup,
    ) -> Result<RingGroupStart, StoreError> {
        let group = &new.group;
        let txn = self.conn.begin().await.map_err(store_error)?;
        exec(
            &txn,
            "INSERT INTO ring_groups (id, client_id, lead_id, status, winner_attempt_id, started_at, deadline) \
             VALUES ($1, $2, $3, $4, NULL, $5, $6)",
            vec![
                id(group.id.0),
                id(group.client_id.as_uuid()),
                id(group.lead_id.as_uuid()),
                group_status(RingGroupStatus::Ringing).into(),
                to_db_time(group.started_at).into(),
                to_db_time(group.deadline).into(),
            ],
        )
        .await?;
        let claimed = exec(
            &txn,
            "INSERT INTO active_ring_groups (lead_id, ring_group_id) VALUES ($1, $2) ON CONFLICT (lead_id) DO NOTHING",
            vec![id(group.lead_id.as_uuid()), id(group.id.0)],
        )
        .await?;
        if claimed == 0 {
            drop(txn);
            let row = query_one(
                &self.conn,
                "SELECT ring_group_id FROM active_ring_groups WHERE lead_id = $1",
                vec![id(group.lead_id.as_uuid())],
            )
            .await?;
            let active = row
                .as_ref()
                .map(|r| get::<Uuid>(r, "ring_group_id"))
                .transpose()?
                .unwrap_or(group.id.0);
            return Ok(RingGroupStart::AlreadyRinging(RingGroupId(active)));
        }
        if !new.attempts.is_empty() {
            // Every attempt in one statement: ten phones, one round trip.
            let mut rows = Vec::with_capacity(new.attempts.len());
            let mut values: Vec<sea_orm::Value> = Vec::with_capacity(new.attempts.len() * 10);
            for (n, attempt) in new.attempts.iter().enumerate() {
                let b = n * 10;
                rows.push(format!(
                    "(${}, ${}, ${}, ${}, ${}, ${}, NULL, ${}, ${}, NULL, NULL, NULL, ${}, ${}, ${}, ${})",
                    b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 7, b + 8, b + 9, b + 9, b + 10, b + 10
                ));
                values.extend([
                    id(attempt.id.0),
                    id(group.id.0),
                    id(group.lead_id.as_uuid()),
                    id(group.client_id.as_uuid()),
                    id(attempt.team_member_id.as_uuid()),
                    attempt.phone.to_string().into(),
                    leg_status(attempt.status).into(),
                    leg_rank(attempt.status).into(),
                    false.into(),
                    to_db_time(attempt.created_at).into(),
                ]);
            }
            exec(
                &txn,
                &format!(
                    "INSERT INTO call_attempts (id, ring_group_id, lead_id, client_id, team_member_id, phone, call_sid, leg_status, leg_rank, \
                     last_sequence, answered_by, duration, answered, transferred_to_agent, created_at, updated_at) VALUES {}",
                    rows.join(", ")
                ),
                values,
            )
            .await?;
        }
        exec(
            &txn,
            "UPDATE leads SET status = $2 WHERE id = $1",
            vec![
                id(group.lead_id.as_uuid()),
                codec::lead_status(LeadStatus::Ringing).into(),
            ],
        )
        .await?;
        txn.commit().await.map_err(store_error)?;
        Ok(RingGroupStart::Started)
    }

    /// The lead `(client, phone)` as a row, read with a fresh snapshot.
    async fn lead_row_by_phone(
        &self,
        client: ClientId,
        phone: &PhoneNumber,
    ) -> Result<Option<sea_orm::QueryResult>, StoreError> {
        let sql = format!("SELECT {LEAD_COLUMNS} FROM leads WHERE client_id = $1 AND phone = $2");
        query_one(
            &self.conn,
            &sql,
            vec![id(client.as_uuid()), phone.to_string().into()],
        )
        .await
    }

    /// The decision recorded for a message sid, if any.
    async fn decision_of(&self, sid: &MessageSid) -> Result<Option<RoutingDecision>, StoreError> {
        query_one(
            &self.conn,
            "SELECT message_sid, client_id, lead_id, outcome, intent_score, hot, signals, was_open, next_open, reply, decided_at \
             FROM routing_decisions WHERE message_sid = $1",
            vec![sid.0.clone().into()],
        )
        .await?
        .as_ref()
        .map(decision_row)
        .transpose()
    }
}
