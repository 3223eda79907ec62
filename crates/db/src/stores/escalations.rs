//! [`EscalationStore`] on the database: escalations, claims and who was
//! texted.

use async_trait::async_trait;
use hotline_domain::routing::model::{ClaimOutcome, Escalation, EscalationId, EscalationOpen};
use hotline_domain::routing::ports::{EscalationStore, StoreError};
use hotline_domain::{ClientId, TeamMemberId, Timestamp};
use sea_orm::TransactionTrait;
use uuid::Uuid;

use crate::codec::{self, to_db_time};
use crate::db::{Db, exec, get, query_all, query_one};
use crate::error::store_error;

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
