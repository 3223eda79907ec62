//! [`JobStore`] on the database: the `jobs` table. PostgreSQL hands out
//! due rows with `FOR UPDATE SKIP LOCKED`, so any number of processes share
//! one queue; SQLite (one process) runs the same claim as one statement.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hotline_domain::Timestamp;
use hotline_domain::routing::FollowUp;
use hotline_domain::routing::ports::StoreError;
use hotline_domain::work::{
    BACKGROUND_KINDS, ClaimedJob, JobFinish, JobId, JobStore, Lane, Lease, NewJob, QueueHealth,
};
use sea_orm::{ConnectionTrait, DbBackend};

use crate::codec::{from_db_time, to_db_time};
use crate::db::{Db, exec, get, query_all, query_one};

use super::rows::id;

/// Stores `jobs` within `conn` (the decision's transaction, or alone),
/// keeping a job id once.
pub(super) async fn enqueue_in<C: ConnectionTrait>(
    conn: &C,
    jobs: &[NewJob],
    created_at: Timestamp,
) -> Result<(), StoreError> {
    if jobs.is_empty() {
        return Ok(());
    }
    let mut rows = Vec::with_capacity(jobs.len());
    let mut values: Vec<sea_orm::Value> = Vec::with_capacity(jobs.len() * 5);
    for (n, job) in jobs.iter().enumerate() {
        let b = n * 5;
        rows.push(format!(
            "(${}, ${}, ${}, 'pending', ${}, 0, ${})",
            b + 1,
            b + 2,
            b + 3,
            b + 4,
            b + 5
        ));
        values.extend([
            id(job.id.0),
            job.work.kind().into(),
            payload(&job.work)?.into(),
            to_db_time(job.due_at).into(),
            to_db_time(created_at).into(),
        ]);
    }
    exec(
        conn,
        &format!(
            "INSERT INTO jobs (id, kind, payload, state, due_at, attempts, created_at) VALUES {} \
             ON CONFLICT (id) DO NOTHING",
            rows.join(", ")
        ),
        values,
    )
    .await?;
    Ok(())
}

/// A follow-up as the JSON stored in `jobs.payload`.
pub(super) fn payload(work: &FollowUp) -> Result<String, StoreError> {
    serde_json::to_string(work).map_err(|e| StoreError::Unavailable(format!("job payload: {e}")))
}

#[async_trait]
impl JobStore for Db {
    async fn enqueue(&self, jobs: &[NewJob]) -> Result<(), StoreError> {
        let created_at = jobs
            .iter()
            .map(|j| j.due_at)
            .min()
            .unwrap_or(Timestamp::UNIX_EPOCH);
        enqueue_in(&self.conn, jobs, created_at).await
    }

    async fn claim_due_in(
        &self,
        lane: Lane,
        lease: &Lease,
        now: Timestamp,
        limit: u32,
    ) -> Result<Vec<ClaimedJob>, StoreError> {
        let kinds = BACKGROUND_KINDS
            .iter()
            .map(|k| format!("'{k}'"))
            .collect::<Vec<_>>()
            .join(", ");
        let in_lane = match lane {
            Lane::Any => String::new(),
            Lane::Background => format!(" AND kind IN ({kinds})"),
            Lane::Urgent => format!(" AND kind NOT IN ({kinds})"),
        };
        // One statement: the rows due are leased as they are read, so two
        // workers never hold the same job (PostgreSQL skips rows another
        // claim has locked; SQLite runs one writer at a time).
        let skip_locked = if self.backend() == DbBackend::Postgres {
            " FOR UPDATE SKIP LOCKED"
        } else {
            ""
        };
        let sql = format!(
            "UPDATE jobs SET due_at = $1, lease_owner = $2, attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM jobs WHERE state = 'pending' AND due_at <= $3{in_lane} \
             ORDER BY due_at LIMIT $4{skip_locked}) \
             RETURNING id, payload, attempts, created_at"
        );
        let rows = query_all(
            &self.conn,
            &sql,
            vec![
                to_db_time(lease.until).into(),
                id(lease.owner),
                to_db_time(now).into(),
                i64::from(limit).into(),
            ],
        )
        .await?;
        let mut claimed = Vec::with_capacity(rows.len());
        for row in &rows {
            let job = JobId(get(row, "id")?);
            let text: String = get(row, "payload")?;
            let attempt: i32 = get(row, "attempts")?;
            let created_at: DateTime<Utc> = get(row, "created_at")?;
            match serde_json::from_str::<FollowUp>(&text) {
                Ok(work) => claimed.push(ClaimedJob {
                    id: job,
                    work,
                    attempt: u32::try_from(attempt).unwrap_or(0),
                    created_at: from_db_time(created_at),
                }),
                // A payload this version cannot read (written by a newer
                // one, or damaged): failed at once, never retried for ever.
                Err(error) => {
                    exec(
                        &self.conn,
                        "UPDATE jobs SET state = 'failed', last_error = $2, finished_at = $3, lease_owner = NULL WHERE id = $1",
                        vec![
                            id(job.0),
                            format!("unreadable payload: {error}").into(),
                            to_db_time(now).into(),
                        ],
                    )
                    .await?;
                }
            }
        }
        Ok(claimed)
    }

    async fn finish(
        &self,
        job: JobId,
        owner: uuid::Uuid,
        attempt: u32,
        finish: &JobFinish,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let fence = vec![
            id(job.0),
            id(owner),
            i32::try_from(attempt).unwrap_or(i32::MAX).into(),
        ];
        let (state, due_at, error, finished_at) = match finish {
            JobFinish::Forget => {
                let deleted = exec(
                    &self.conn,
                    "DELETE FROM jobs WHERE id = $1 AND lease_owner = $2 AND attempts = $3 AND state = 'pending'",
                    fence,
                )
                .await?;
                return Ok(deleted == 1);
            }
            JobFinish::Done => ("done", None, None, Some(now)),
            JobFinish::DueAgain { at, error } => ("pending", Some(*at), error.clone(), None),
            JobFinish::Failed(error) => ("failed", None, Some(error.clone()), Some(now)),
        };
        // Fenced: only the run that holds the lease records its outcome.
        let changed = exec(
            &self.conn,
            "UPDATE jobs SET state = $4, due_at = COALESCE($5, due_at), \
             last_error = COALESCE($6, last_error), finished_at = $7, lease_owner = NULL \
             WHERE id = $1 AND lease_owner = $2 AND attempts = $3 AND state = 'pending'",
            [
                fence,
                vec![
                    state.into(),
                    due_at.map(to_db_time).into(),
                    error.into(),
                    finished_at.map(to_db_time).into(),
                ],
            ]
            .concat(),
        )
        .await?;
        Ok(changed == 1)
    }

    async fn renew(
        &self,
        owner: uuid::Uuid,
        jobs: &[JobId],
        until: Timestamp,
    ) -> Result<(), StoreError> {
        if jobs.is_empty() {
            return Ok(());
        }
        let mut values = vec![to_db_time(until).into(), id(owner)];
        let mut places = Vec::with_capacity(jobs.len());
        for job in jobs {
            values.push(id(job.0));
            places.push(format!("${}", values.len()));
        }
        exec(
            &self.conn,
            &format!(
                "UPDATE jobs SET due_at = $1 WHERE lease_owner = $2 AND state = 'pending' AND id IN ({})",
                places.join(", ")
            ),
            values,
        )
        .await?;
        Ok(())
    }

    async fn health(&self, now: Timestamp) -> Result<QueueHealth, StoreError> {
        let row = query_one(
            &self.conn,
            "SELECT CAST(COUNT(*) AS BIGINT) AS pending, \
             CAST(COALESCE(SUM(CASE WHEN due_at <= $1 THEN 1 ELSE 0 END), 0) AS BIGINT) AS due, \
             MIN(due_at) AS oldest, \
             (SELECT CAST(COUNT(*) AS BIGINT) FROM jobs WHERE state = 'failed') AS failed \
             FROM jobs WHERE state = 'pending'",
            vec![to_db_time(now).into()],
        )
        .await?
        .ok_or_else(|| StoreError::Unavailable("queue health returned no row".into()))?;
        let count = |column: &str| -> Result<u64, StoreError> {
            Ok(u64::try_from(get::<i64>(&row, column)?).unwrap_or(0))
        };
        let oldest: Option<DateTime<Utc>> = get(&row, "oldest")?;
        let oldest_due_seconds = oldest
            .map(from_db_time)
            .filter(|at| *at <= now)
            .map_or(0.0, |at| now.duration_since(at).as_secs_f64());
        Ok(QueueHealth {
            pending: count("pending")?,
            due: count("due")?,
            oldest_due_seconds,
            failed: count("failed")?,
        })
    }
}
