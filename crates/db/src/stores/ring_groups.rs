//! [`RingGroupStore`] on the database: ring groups and their legs; on
//! PostgreSQL a group starts in one statement, on SQLite in a transaction
//! (both side by side here).

use async_trait::async_trait;
use hotline_domain::routing::FollowUp;
use hotline_domain::routing::model::{
    Acceptance, CallAttempt, CallAttemptId, CallSid, Escalation, EscalationId, EscalationOpen,
    LeadStatus, LegUpdate, NewRingGroup, RingGroup, RingGroupId, RingGroupStart, RingGroupStatus,
};
use hotline_domain::routing::ports::{RingGroupStore, StoreError};
use hotline_domain::work::{JobId, NewJob};
use hotline_domain::{LeadId, Timestamp};
use sea_orm::TransactionTrait;
use uuid::Uuid;

use crate::codec::{self, first_terminal_rank, group_status, leg_rank, leg_status, to_db_time};
use crate::db::{Db, exec, get, query_all, query_one};
use crate::error::store_error;

use super::escalations::open_escalation_in;
use super::jobs::enqueue_in;
use super::rows::*;

#[async_trait]
impl RingGroupStore for Db {
    // Long by choice: most of it is the one PostgreSQL statement that starts
    // a group (slot, group, legs and the lead's status) and its parameters.
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
            group.strategy.as_str().into(),
        ];
        let mut rows = Vec::with_capacity(new.attempts.len());
        for attempt in &new.attempts {
            let b = values.len();
            rows.push(format!(
                "(${}, ${}, ${}, ${}, ${}, ${}, ${})",
                b + 1,
                b + 2,
                b + 3,
                b + 4,
                b + 5,
                b + 6,
                b + 7
            ));
            values.extend([
                id(attempt.id.0),
                id(attempt.team_member_id.as_uuid()),
                attempt.phone.to_string().into(),
                leg_status(attempt.status).into(),
                leg_rank(attempt.status).into(),
                to_db_time(attempt.created_at).into(),
                i32::try_from(attempt.tier).unwrap_or(1).into(),
            ]);
        }
        let mut job_rows = Vec::with_capacity(new.then.len());
        for job in &new.then {
            let b = values.len();
            job_rows.push(format!("(${}, ${}, ${}, ${})", b + 1, b + 2, b + 3, b + 4));
            values.extend([
                id(job.id.0),
                job.work.kind().into(),
                super::jobs::payload(&job.work)?.into(),
                to_db_time(job.due_at).into(),
            ]);
        }
        // The group's jobs commit with it, or not at all.
        let jobs = if job_rows.is_empty() {
            String::new()
        } else {
            format!(
                "work AS (\
                   INSERT INTO jobs (id, kind, payload, state, due_at, attempts, created_at) \
                   SELECT v.id, v.kind, v.payload, 'pending', v.due, 0, $5 \
                   FROM grp CROSS JOIN (VALUES {}) AS v(id, kind, payload, due)), ",
                job_rows.join(", ")
            )
        };
        let legs = if rows.is_empty() {
            String::new()
        } else {
            format!(
                "legs AS (\
                   INSERT INTO call_attempts (id, ring_group_id, lead_id, client_id, team_member_id, phone, \
                   leg_status, leg_rank, created_at, updated_at, tier) \
                   SELECT v.id, grp.id, $1, $3, v.member, v.phone, v.status, v.rank, v.at, v.at, v.tier \
                   FROM grp CROSS JOIN (VALUES {}) AS v(id, member, phone, status, rank, at, tier)), ",
                rows.join(", ")
            )
        };
        let sql = format!(
            "WITH active AS (\
               INSERT INTO active_ring_groups (lead_id, ring_group_id) VALUES ($1, $2) \
               ON CONFLICT (lead_id) DO NOTHING RETURNING ring_group_id), \
             grp AS (\
               INSERT INTO ring_groups (id, client_id, lead_id, status, winner_attempt_id, started_at, deadline, strategy) \
               SELECT $2, $3, $1, $4, NULL, $5, $6, $8 FROM active RETURNING id), \
             {legs}\
             {jobs}\
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

    async fn record_lead_call(&self, group: RingGroupId, sid: &CallSid) -> Result<(), StoreError> {
        exec(
            &self.conn,
            "UPDATE ring_groups SET lead_call_sid = $2 WHERE id = $1",
            vec![id(group.0), sid.0.clone().into()],
        )
        .await?;
        Ok(())
    }

    async fn claim_pending_legs(
        &self,
        group: RingGroupId,
        up_to_tier: Option<u32>,
    ) -> Result<Vec<CallAttempt>, StoreError> {
        use hotline_domain::routing::model::LegStatus;
        // The group is read by its key alone: a plan cached while the table
        // was small must not turn into a scan of every ringing group.
        let sql = format!(
            "UPDATE call_attempts SET leg_status = $2, leg_rank = $3 \
             WHERE ring_group_id = $1 AND leg_status = $4 AND tier <= $6 \
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
                i32::try_from(up_to_tier.unwrap_or(u32::MAX))
                    .unwrap_or(i32::MAX)
                    .into(),
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

    async fn release_leg(&self, attempt: CallAttemptId) -> Result<(), StoreError> {
        use hotline_domain::routing::model::LegStatus;
        exec(
            &self.conn,
            "UPDATE call_attempts SET leg_status = $2, leg_rank = $3 \
             WHERE id = $1 AND leg_status = $4 AND call_sid IS NULL",
            vec![
                id(attempt.0),
                leg_status(LegStatus::Pending).into(),
                leg_rank(LegStatus::Pending).into(),
                leg_status(LegStatus::Dialing).into(),
            ],
        )
        .await?;
        Ok(())
    }

    async fn reclaim_unsure_legs(
        &self,
        group: RingGroupId,
        max_redials: u32,
    ) -> Result<Vec<CallAttempt>, StoreError> {
        use hotline_domain::routing::model::LegStatus;
        let ringing = self
            .ring_group(group)
            .await?
            .is_some_and(|g| g.status == RingGroupStatus::Ringing);
        if !ringing {
            return Ok(Vec::new());
        }
        let max = i32::try_from(max_redials).unwrap_or(i32::MAX);
        // Past the limit: failed, never a third call to the same phone.
        exec(
            &self.conn,
            "UPDATE call_attempts SET leg_status = $2, leg_rank = $3 \
             WHERE ring_group_id = $1 AND leg_status = $4 AND call_sid IS NULL AND redials >= $5",
            vec![
                id(group.0),
                leg_status(LegStatus::Failed).into(),
                leg_rank(LegStatus::Failed).into(),
                leg_status(LegStatus::Dialing).into(),
                max.into(),
            ],
        )
        .await?;
        let sql = format!(
            "UPDATE call_attempts SET redials = redials + 1 \
             WHERE ring_group_id = $1 AND leg_status = $2 AND call_sid IS NULL AND redials < $3 \
             RETURNING {ATTEMPT_COLUMNS}"
        );
        let rows = query_all(
            &self.conn,
            &sql,
            vec![
                id(group.0),
                leg_status(LegStatus::Dialing).into(),
                max.into(),
            ],
        )
        .await?;
        let mut again = rows
            .iter()
            .map(attempt_row)
            .collect::<Result<Vec<_>, _>>()?;
        again.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.0.cmp(&b.id.0)));
        Ok(again)
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
        then: &[NewJob],
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
            enqueue_in(&txn, then, at).await?;
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

    async fn end_ringing_group(
        &self,
        lead: LeadId,
        at: Timestamp,
        end_legs: JobId,
    ) -> Result<Option<RingGroupId>, StoreError> {
        let txn = self.conn.begin().await.map_err(store_error)?;
        let Some(row) = query_one(
            &txn,
            "SELECT ring_group_id FROM active_ring_groups WHERE lead_id = $1",
            vec![id(lead.as_uuid())],
        )
        .await?
        else {
            return Ok(None);
        };
        let group = RingGroupId(get(&row, "ring_group_id")?);
        if !end_without_winner(&txn, group, at).await? {
            return Ok(None);
        }
        let job = NewJob {
            id: end_legs,
            work: FollowUp::EndAllLegs { group },
            due_at: at,
        };
        enqueue_in(&txn, &[job], at).await?;
        txn.commit().await.map_err(store_error)?;
        Ok(Some(group))
    }

    async fn exhaust(
        &self,
        group: RingGroupId,
        escalation: &Escalation,
        then: &[NewJob],
    ) -> Result<Option<EscalationId>, StoreError> {
        let txn = self.conn.begin().await.map_err(store_error)?;
        if !end_without_winner(&txn, group, escalation.created_at).await? {
            return Ok(None);
        }
        let open = open_escalation_in(&txn, escalation).await?;
        enqueue_in(&txn, then, escalation.created_at).await?;
        txn.commit().await.map_err(store_error)?;
        Ok(Some(match open {
            EscalationOpen::Opened => escalation.id,
            EscalationOpen::AlreadyOpen(existing) => existing,
        }))
    }
}

/// Ends a still-ringing group with nobody accepting and frees its lead's
/// slot, inside `txn`; `false` when it no longer rang.
async fn end_without_winner(
    txn: &sea_orm::DatabaseTransaction,
    group: RingGroupId,
    at: Timestamp,
) -> Result<bool, StoreError> {
    let changed = exec(
        txn,
        "UPDATE ring_groups SET status = $2, ended_at = $4 WHERE id = $1 AND status = $3",
        vec![
            id(group.0),
            group_status(RingGroupStatus::Exhausted).into(),
            group_status(RingGroupStatus::Ringing).into(),
            to_db_time(at).into(),
        ],
    )
    .await?;
    if changed == 0 {
        return Ok(false);
    }
    exec(
        txn,
        "DELETE FROM active_ring_groups WHERE ring_group_id = $1",
        vec![id(group.0)],
    )
    .await?;
    Ok(true)
}

impl Db {
    /// [`RingGroupStore::start_ring_group`] as a transaction of several
    /// statements (SQLite).
    // Long by choice: one transaction's statements, in the order of the
    // PostgreSQL statement beside it, read best as one block.
    pub(super) async fn start_ring_group_in_steps(
        &self,
        new: &NewRingGroup,
    ) -> Result<RingGroupStart, StoreError> {
        let group = &new.group;
        let txn = self.conn.begin().await.map_err(store_error)?;
        exec(
            &txn,
            "INSERT INTO ring_groups (id, client_id, lead_id, status, winner_attempt_id, started_at, deadline, strategy) \
             VALUES ($1, $2, $3, $4, NULL, $5, $6, $7)",
            vec![
                id(group.id.0),
                id(group.client_id.as_uuid()),
                id(group.lead_id.as_uuid()),
                group_status(RingGroupStatus::Ringing).into(),
                to_db_time(group.started_at).into(),
                to_db_time(group.deadline).into(),
                group.strategy.as_str().into(),
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
            let mut values: Vec<sea_orm::Value> = Vec::with_capacity(new.attempts.len() * 11);
            for (n, attempt) in new.attempts.iter().enumerate() {
                let b = n * 11;
                rows.push(format!(
                    "(${}, ${}, ${}, ${}, ${}, ${}, NULL, ${}, ${}, NULL, NULL, NULL, ${}, ${}, ${}, ${}, ${})",
                    b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 7, b + 8, b + 9, b + 9, b + 10, b + 10, b + 11
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
                    i32::try_from(attempt.tier).unwrap_or(1).into(),
                ]);
            }
            exec(
                &txn,
                &format!(
                    "INSERT INTO call_attempts (id, ring_group_id, lead_id, client_id, team_member_id, phone, call_sid, leg_status, leg_rank, \
                     last_sequence, answered_by, duration, answered, transferred_to_agent, created_at, updated_at, tier) VALUES {}",
                    rows.join(", ")
                ),
                values,
            )
            .await?;
        }
        enqueue_in(&txn, &new.then, group.started_at).await?;
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
}
