//! [`EscalationStore`] on the database: escalations, claims and who was
//! texted.

use async_trait::async_trait;
use hotline_domain::routing::model::{
    ClaimOutcome, Escalation, EscalationId, EscalationOpen, EscalationText, TextPurpose, TextState,
};
use hotline_domain::routing::ports::{EscalationStore, StoreError};
use hotline_domain::work::NewJob;
use hotline_domain::{ClientId, LeadId, TeamMemberId, Timestamp};
use sea_orm::TransactionTrait;
use uuid::Uuid;

use crate::codec::{self, to_db_time};
use crate::db::{Db, exec, get, query_all, query_one};
use crate::error::store_error;

use super::jobs::enqueue_in;
use super::rows::*;

/// Opens `escalation` within `conn` unless the lead has an open one.
pub(super) async fn open_escalation_in<C: sea_orm::ConnectionTrait>(
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
    async fn open_escalation(
        &self,
        escalation: &Escalation,
        then: &[NewJob],
    ) -> Result<EscalationOpen, StoreError> {
        let txn = self.conn.begin().await.map_err(store_error)?;
        let open = open_escalation_in(&txn, escalation).await?;
        if open == EscalationOpen::Opened {
            enqueue_in(&txn, then, escalation.created_at).await?;
        }
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
        then: &[NewJob],
    ) -> Result<ClaimOutcome, StoreError> {
        let txn = self.conn.begin().await.map_err(store_error)?;
        let claimed = exec(
            &txn,
            "UPDATE escalations SET claimed_by = $2, claimed_at = $3 WHERE id = $1 AND claimed_by IS NULL AND closed_at IS NULL",
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
            enqueue_in(&txn, then, now).await?;
            txn.commit().await.map_err(store_error)?;
            return Ok(ClaimOutcome::Claimed);
        }
        drop(txn);
        match self.escalation(escalation).await? {
            None => Err(StoreError::NotFound(format!("escalation {escalation}"))),
            Some(found) => match found.claimed_by {
                Some(owner) if owner == member => Ok(ClaimOutcome::Claimed),
                Some(owner) => Ok(ClaimOutcome::AlreadyClaimed(owner)),
                // Unclaimed yet not claimable: closed (the lead opted out).
                None => Err(StoreError::NotFound(format!(
                    "escalation {escalation} (closed)"
                ))),
            },
        }
    }

    async fn close_open_escalation(
        &self,
        lead: LeadId,
        at: Timestamp,
    ) -> Result<Option<EscalationId>, StoreError> {
        let txn = self.conn.begin().await.map_err(store_error)?;
        let Some(row) = query_one(
            &txn,
            "DELETE FROM open_escalations WHERE lead_id = $1 RETURNING escalation_id",
            vec![id(lead.as_uuid())],
        )
        .await?
        else {
            return Ok(None);
        };
        let closed = EscalationId(get(&row, "escalation_id")?);
        exec(
            &txn,
            "UPDATE escalations SET closed_at = $2 WHERE id = $1",
            vec![id(closed.0), to_db_time(at).into()],
        )
        .await?;
        txn.commit().await.map_err(store_error)?;
        Ok(Some(closed))
    }

    async fn begin_text(
        &self,
        escalation: EscalationId,
        member: TeamMemberId,
        purpose: TextPurpose,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        // One statement either way: a new text is recorded pending; a
        // pending one counts another try; a settled one is left alone.
        let row = query_one(
            &self.conn,
            "INSERT INTO escalation_texts (escalation_id, team_member_id, purpose, state, tries, last_error, created_at, updated_at)              VALUES ($1, $2, $3, 'pending', 1, NULL, $4, $4)              ON CONFLICT (escalation_id, team_member_id, purpose) DO UPDATE SET tries = escalation_texts.tries + 1              WHERE escalation_texts.state = 'pending'              RETURNING state",
            vec![
                id(escalation.0),
                id(member.as_uuid()),
                text_purpose(purpose).into(),
                to_db_time(at).into(),
            ],
        )
        .await?;
        Ok(row.is_some())
    }

    async fn record_text(
        &self,
        escalation: EscalationId,
        member: TeamMemberId,
        purpose: TextPurpose,
        state: TextState,
        error: Option<String>,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        exec(
            &self.conn,
            "UPDATE escalation_texts SET state = $4, last_error = $5, updated_at = $6              WHERE escalation_id = $1 AND team_member_id = $2 AND purpose = $3",
            vec![
                id(escalation.0),
                id(member.as_uuid()),
                text_purpose(purpose).into(),
                text_state(state).into(),
                error.into(),
                to_db_time(at).into(),
            ],
        )
        .await?;
        Ok(())
    }

    async fn texts(&self, escalation: EscalationId) -> Result<Vec<EscalationText>, StoreError> {
        let rows = query_all(
            &self.conn,
            "SELECT team_member_id, purpose, state, tries, last_error, updated_at FROM escalation_texts \
             WHERE escalation_id = $1 ORDER BY created_at, team_member_id",
            vec![id(escalation.0)],
        )
        .await?;
        rows.iter()
            .map(|row| {
                let purpose: String = get(row, "purpose")?;
                let state: String = get(row, "state")?;
                let tries: i32 = get(row, "tries")?;
                let updated_at: chrono::DateTime<chrono::Utc> = get(row, "updated_at")?;
                Ok(EscalationText {
                    team_member_id: TeamMemberId::from_uuid(get(row, "team_member_id")?),
                    purpose: parse_text_purpose(&purpose)?,
                    state: parse_text_state(&state)?,
                    tries: u32::try_from(tries).unwrap_or(0),
                    error: get(row, "last_error")?,
                    updated_at: codec::from_db_time(updated_at),
                })
            })
            .collect()
    }
}

fn text_purpose(purpose: TextPurpose) -> &'static str {
    match purpose {
        TextPurpose::Escalation => "escalation",
        TextPurpose::Reminder => "reminder",
        TextPurpose::Claim => "claim",
    }
}

fn parse_text_purpose(text: &str) -> Result<TextPurpose, StoreError> {
    match text {
        "escalation" => Ok(TextPurpose::Escalation),
        "reminder" => Ok(TextPurpose::Reminder),
        "claim" => Ok(TextPurpose::Claim),
        other => Err(StoreError::Unavailable(format!(
            "unknown text purpose {other:?}"
        ))),
    }
}

fn text_state(state: TextState) -> &'static str {
    match state {
        TextState::Pending => "pending",
        TextState::Sent => "sent",
        TextState::Failed => "failed",
    }
}

fn parse_text_state(text: &str) -> Result<TextState, StoreError> {
    match text {
        "pending" => Ok(TextState::Pending),
        "sent" => Ok(TextState::Sent),
        "failed" => Ok(TextState::Failed),
        other => Err(StoreError::Unavailable(format!(
            "unknown text state {other:?}"
        ))),
    }
}
