//! [`LeadStore`] on the database: leads, messages, decisions and webhook
//! deliveries; on PostgreSQL an inbound message and its lead in one
//! statement, on SQLite in steps.

use async_trait::async_trait;
use hotline_domain::routing::model::{
    InboundMessage, Lead, LeadStatus, MessageRecorded, MessageSid, NewMessage, RoutingDecision,
    RoutingOutcome,
};
use hotline_domain::routing::ports::{LeadStore, StoreError, record_inbound_in_steps};
use hotline_domain::{ClientId, LeadId, PhoneNumber, Timestamp};
use uuid::Uuid;

use crate::codec::{self, to_db_time};
use crate::db::{Db, exec, get, query_one};

use super::rows::*;

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

impl Db {
    /// The lead `(client, phone)` as a row, read with a fresh snapshot.
    pub(super) async fn lead_row_by_phone(
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
    pub(super) async fn decision_of(
        &self,
        sid: &MessageSid,
    ) -> Result<Option<RoutingDecision>, StoreError> {
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
