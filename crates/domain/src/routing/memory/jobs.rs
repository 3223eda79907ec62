//! [`JobStore`] on the in-memory store.

use async_trait::async_trait;
use jiff::Timestamp;

use super::super::ports::StoreError;
use super::MemoryStore;
use crate::work::{ClaimedJob, JobFinish, JobId, JobStore, Lane, Lease, NewJob, QueueHealth};

#[async_trait]
impl JobStore for MemoryStore {
    async fn enqueue(&self, jobs: &[NewJob]) -> Result<(), StoreError> {
        self.with(|s| {
            let at = jobs.first().map_or(Timestamp::UNIX_EPOCH, |j| j.due_at);
            s.store_jobs(jobs, at);
        })
    }

    async fn claim_due_in(
        &self,
        lane: Lane,
        lease: &Lease,
        now: Timestamp,
        limit: u32,
    ) -> Result<Vec<ClaimedJob>, StoreError> {
        self.with(|s| {
            let mut due: Vec<usize> = (0..s.jobs.len())
                .filter(|&i| {
                    s.jobs[i].state == "pending"
                        && s.jobs[i].job.due_at <= now
                        && lane.takes(s.jobs[i].job.work.kind())
                })
                .collect();
            due.sort_by_key(|&i| s.jobs[i].job.due_at);
            due.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
            due.into_iter()
                .map(|i| {
                    let job = &mut s.jobs[i];
                    job.attempts += 1;
                    job.lease_owner = Some(lease.owner);
                    job.job.due_at = lease.until;
                    ClaimedJob {
                        id: job.job.id,
                        work: job.job.work.clone(),
                        attempt: job.attempts,
                        created_at: job.created_at,
                    }
                })
                .collect()
        })
    }

    async fn finish(
        &self,
        id: JobId,
        owner: uuid::Uuid,
        attempt: u32,
        finish: &JobFinish,
        _now: Timestamp,
    ) -> Result<bool, StoreError> {
        self.with(|s| {
            let Some(index) = s.jobs.iter().position(|j| {
                j.job.id == id
                    && j.state == "pending"
                    && j.lease_owner == Some(owner)
                    && j.attempts == attempt
            }) else {
                return false;
            };
            if matches!(finish, JobFinish::Forget) {
                s.jobs.remove(index);
                return true;
            }
            let job = &mut s.jobs[index];
            job.lease_owner = None;
            match finish {
                JobFinish::Done | JobFinish::Forget => job.state = "done",
                JobFinish::DueAgain { at, error } => {
                    job.job.due_at = *at;
                    job.last_error.clone_from(error);
                }
                JobFinish::Failed(error) => {
                    job.state = "failed";
                    job.last_error = Some(error.clone());
                }
            }
            true
        })
    }

    async fn renew(
        &self,
        owner: uuid::Uuid,
        jobs: &[JobId],
        until: Timestamp,
    ) -> Result<(), StoreError> {
        self.with(|s| {
            for job in s.jobs.iter_mut().filter(|j| {
                j.state == "pending" && j.lease_owner == Some(owner) && jobs.contains(&j.job.id)
            }) {
                job.job.due_at = until;
            }
        })
    }

    async fn health(&self, now: Timestamp) -> Result<QueueHealth, StoreError> {
        self.with(|s| {
            let pending: Vec<_> = s.jobs.iter().filter(|j| j.state == "pending").collect();
            let due: Vec<_> = pending.iter().filter(|j| j.job.due_at <= now).collect();
            let oldest = due.iter().map(|j| j.job.due_at).min();
            QueueHealth {
                pending: pending.len() as u64,
                due: due.len() as u64,
                oldest_due_seconds: oldest.map_or(0.0, |at| now.duration_since(at).as_secs_f64()),
                failed: s.jobs.iter().filter(|j| j.state == "failed").count() as u64,
            }
        })
    }
}
