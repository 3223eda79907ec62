//! Durable work: what Hotline does after answering an event (place the
//! calls, text the team, cancel legs, announce a claim, fire a ring
//! group's deadline), stored in the same commit as the decision that
//! causes it and run by any process sharing the store.
//!
//! A store hands due jobs to one worker at a time under a lease (the job's
//! due time moves past the lease; a worker that dies lets it fall due
//! again), and records each outcome only for the lease holder. Work is
//! therefore at least once: each job's run is written to be repeated.

use async_trait::async_trait;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::routing::FollowUp;
use crate::routing::ports::StoreError;

/// Identifies one job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct JobId(pub uuid::Uuid);

impl std::fmt::Display for JobId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.hyphenated().fmt(f)
    }
}

/// A job to store with the decision that causes it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewJob {
    /// The job's id.
    pub id: JobId,
    /// What to do.
    pub work: FollowUp,
    /// When it may run first.
    pub due_at: Timestamp,
}

/// A job handed to one worker under a lease.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimedJob {
    /// The job's id.
    pub id: JobId,
    /// What to do.
    pub work: FollowUp,
    /// Which run this is, from 1; fences the outcome to this run.
    pub attempt: u32,
    /// When the job was stored.
    pub created_at: Timestamp,
}

/// Who holds a job, and until when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lease {
    /// The worker (one per process).
    pub owner: uuid::Uuid,
    /// When the job falls due again if the worker never reports.
    pub until: Timestamp,
}

/// What one run of a job came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobOutcome {
    /// Nothing left to do.
    Done,
    /// Run again at this time (a timer not yet ripe); not a failure.
    Later(Timestamp),
    /// A temporary failure (429, 5xx, timeout, store down): retry later.
    Retry(String),
    /// A permanent failure (a 4xx other than 429): record and stop.
    Failed(String),
}

/// What a store records when a run ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobFinish {
    /// The job is done; its row is kept (pruned with the other records).
    Done,
    /// The job is done and its row removed: its own records say what
    /// happened (a webhook delivery's attempt log), and a queue that does not
    /// grow with every delivery keeps claims quick.
    Forget,
    /// The job falls due again at `at`; `error` says why, if it failed.
    DueAgain {
        /// When it runs next.
        at: Timestamp,
        /// The failure that caused the retry, if any.
        error: Option<String>,
    },
    /// The job failed for good.
    Failed(String),
}

/// How the queue is doing, for metrics and logs.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct QueueHealth {
    /// Jobs not finished, due or scheduled (leased ones included).
    pub pending: u64,
    /// Pending jobs whose due time has passed.
    pub due: u64,
    /// How long the longest-waiting due job has been due, in seconds.
    pub oldest_due_seconds: f64,
    /// Jobs that failed for good (kept until retention removes them).
    pub failed: u64,
}

/// Which jobs a worker takes: calls and texts must not wait behind
/// webhook deliveries, so each runs in a lane of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    /// Everything but webhook work: calls, texts, deadlines.
    Urgent,
    /// Webhook fan-outs and deliveries.
    Background,
    /// Every job.
    Any,
}

/// The job kinds of [`Lane::Background`].
pub const BACKGROUND_KINDS: [&str; 2] = ["publish", "deliver_webhook"];

impl Lane {
    /// Whether a job of `kind` runs in this lane.
    pub fn takes(self, kind: &str) -> bool {
        match self {
            Self::Any => true,
            Self::Background => BACKGROUND_KINDS.contains(&kind),
            Self::Urgent => !BACKGROUND_KINDS.contains(&kind),
        }
    }
}

/// Stores jobs and leases them to workers.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait JobStore: Send + Sync {
    /// Stores jobs on their own (a decision's jobs are stored by the store
    /// method that commits the decision). A job id stored twice is kept once.
    async fn enqueue(&self, jobs: &[NewJob]) -> Result<(), StoreError>;
    /// Hands at most `limit` pending jobs of `lane` due at `now` to
    /// `lease.owner`, earliest due first: each job's attempt grows by one
    /// and it falls due again at `lease.until`. MUST hand a job to one
    /// worker at a time.
    async fn claim_due_in(
        &self,
        lane: Lane,
        lease: &Lease,
        now: Timestamp,
        limit: u32,
    ) -> Result<Vec<ClaimedJob>, StoreError>;
    /// [`Self::claim_due_in`] every lane.
    async fn claim_due(
        &self,
        lease: &Lease,
        now: Timestamp,
        limit: u32,
    ) -> Result<Vec<ClaimedJob>, StoreError> {
        self.claim_due_in(Lane::Any, lease, now, limit).await
    }
    /// Records how run `attempt` of `job` by `owner` ended at `now`; MUST
    /// change nothing and return `false` when the job has since been handed
    /// to another run (the lease was lost).
    async fn finish(
        &self,
        job: JobId,
        owner: uuid::Uuid,
        attempt: u32,
        finish: &JobFinish,
        now: Timestamp,
    ) -> Result<bool, StoreError>;
    /// Moves the due time of `jobs` still leased by `owner` to `until`:
    /// the heartbeat of a worker whose runs outlast one lease.
    async fn renew(
        &self,
        owner: uuid::Uuid,
        jobs: &[JobId],
        until: Timestamp,
    ) -> Result<(), StoreError>;
    /// Counts for metrics at `now`.
    async fn health(&self, now: Timestamp) -> Result<QueueHealth, StoreError>;
}

/// When failed work is tried again, and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Delay before the first retry (doubling each time, ±20 %).
    pub first_delay: SignedDuration,
    /// The longest delay between two tries.
    pub max_delay: SignedDuration,
    /// How long after the job was stored it is given up.
    pub give_up_after: SignedDuration,
    /// How long a worker holds a job before it falls due again.
    pub lease: SignedDuration,
    /// Fixed delays (seconds) before each retry instead of doubling; the
    /// job fails once they are spent.
    pub schedule: Option<&'static [i64]>,
    /// Whether a finished job's row is kept ([`JobFinish::Done`]) or removed
    /// ([`JobFinish::Forget`]).
    pub keep_done: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            first_delay: SignedDuration::from_secs(5),
            max_delay: SignedDuration::from_secs(120),
            give_up_after: SignedDuration::from_mins(15),
            // Short, so work held by a killed process runs again within
            // seconds; a live worker renews it while it runs.
            lease: SignedDuration::from_secs(6),
            schedule: None,
            keep_done: true,
        }
    }
}

/// The retries of an outbound webhook delivery (CONTRACT section 10):
/// about 5 s, 30 s, 2 min, 10 min, 1 h, 3 h and 6 h after each failure.
pub const WEBHOOK_RETRIES: [i64; 7] = [5, 30, 120, 600, 3_600, 10_800, 21_600];

impl RetryPolicy {
    /// What to record for `job`'s run that came to `outcome` at `now`: a
    /// retry after a growing delay (jittered by the job's id so a burst of
    /// failures does not retry in step), or a final failure once the job
    /// is older than [`Self::give_up_after`].
    pub fn finish(&self, job: &ClaimedJob, outcome: JobOutcome, now: Timestamp) -> JobFinish {
        match outcome {
            JobOutcome::Done if self.keep_done => JobFinish::Done,
            JobOutcome::Done => JobFinish::Forget,
            JobOutcome::Later(at) => JobFinish::DueAgain { at, error: None },
            JobOutcome::Failed(error) => JobFinish::Failed(error),
            JobOutcome::Retry(error) => {
                if let Some(schedule) = self.schedule {
                    let next = usize::try_from(job.attempt)
                        .ok()
                        .and_then(|n| schedule.get(n.saturating_sub(1)));
                    return match next {
                        Some(&seconds) => JobFinish::DueAgain {
                            at: now
                                .saturating_add(SignedDuration::from_secs(seconds))
                                .unwrap_or(now),
                            error: Some(error),
                        },
                        None => JobFinish::Failed(format!(
                            "gave up after {} tries: {error}",
                            job.attempt
                        )),
                    };
                }
                let give_up_at = job
                    .created_at
                    .saturating_add(self.give_up_after)
                    .unwrap_or(job.created_at);
                let at = now.saturating_add(self.delay(job)).unwrap_or(now);
                if at > give_up_at {
                    JobFinish::Failed(format!("gave up after {} tries: {error}", job.attempt))
                } else {
                    JobFinish::DueAgain {
                        at,
                        error: Some(error),
                    }
                }
            }
        }
    }

    /// The delay before the try after `job`'s run: `first_delay` doubled
    /// per earlier try, capped at `max_delay`, ±20 % by the job's id.
    pub fn delay(&self, job: &ClaimedJob) -> SignedDuration {
        let doublings = job.attempt.saturating_sub(1).min(20);
        let base = self
            .first_delay
            .as_millis()
            .saturating_mul(1_i128 << doublings)
            .min(self.max_delay.as_millis());
        // -20..=20 percent, fixed per job and try.
        let spread = (job.id.0.as_u128() ^ u128::from(job.attempt)) % 41;
        let percent = 80 + i128::try_from(spread).unwrap_or(20);
        let millis = i64::try_from(base * percent / 100).unwrap_or(i64::MAX);
        SignedDuration::from_millis(millis)
    }

    /// The policy of webhook deliveries: [`WEBHOOK_RETRIES`].
    pub fn webhook_deliveries() -> Self {
        Self {
            schedule: Some(&WEBHOOK_RETRIES),
            keep_done: false,
            ..Self::default()
        }
    }

    /// The lease for a claim by `owner` at `now`.
    pub fn lease(&self, owner: uuid::Uuid, now: Timestamp) -> Lease {
        Lease {
            owner,
            until: now.saturating_add(self.lease).unwrap_or(now),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routing::model::RingGroupId;

    fn job(attempt: u32, created_at: Timestamp) -> ClaimedJob {
        ClaimedJob {
            id: JobId(uuid::Uuid::from_u128(7)),
            work: FollowUp::PlaceCalls {
                group: RingGroupId(uuid::Uuid::from_u128(1)),
                up_to_tier: None,
            },
            attempt,
            created_at,
        }
    }

    #[test]
    fn delays_grow_from_about_five_seconds_to_two_minutes() {
        let policy = RetryPolicy::default();
        let now = Timestamp::UNIX_EPOCH;
        let first = policy.delay(&job(1, now)).as_secs_f64();
        assert!((4.0..=6.0).contains(&first), "{first}");
        let third = policy.delay(&job(3, now)).as_secs_f64();
        assert!((16.0..=24.0).contains(&third), "{third}");
        let tenth = policy.delay(&job(10, now)).as_secs_f64();
        assert!((96.0..=144.0).contains(&tenth), "{tenth}");
    }

    #[test]
    fn a_retry_past_fifteen_minutes_is_a_final_failure() {
        let policy = RetryPolicy::default();
        let created = Timestamp::UNIX_EPOCH;
        let early = policy.finish(&job(2, created), JobOutcome::Retry("503".into()), created);
        assert!(matches!(early, JobFinish::DueAgain { error: Some(_), .. }));
        let late_now = created
            .saturating_add(SignedDuration::from_mins(15))
            .unwrap_or(created);
        let late = policy.finish(&job(12, created), JobOutcome::Retry("503".into()), late_now);
        assert!(
            matches!(late, JobFinish::Failed(ref e) if e.contains("503")),
            "{late:?}"
        );
    }

    #[test]
    fn webhook_deliveries_retry_on_the_contract_schedule_then_fail() {
        let policy = RetryPolicy::webhook_deliveries();
        let created = Timestamp::UNIX_EPOCH;
        let mut delays = Vec::new();
        for attempt in 1..=8 {
            match policy.finish(
                &job(attempt, created),
                JobOutcome::Retry("500".into()),
                created,
            ) {
                JobFinish::DueAgain { at, .. } => delays.push(at.duration_since(created).as_secs()),
                JobFinish::Failed(error) => {
                    assert_eq!(attempt, 8, "{error}");
                }
                JobFinish::Done | JobFinish::Forget => unreachable!(),
            }
        }
        assert_eq!(delays, WEBHOOK_RETRIES);
    }

    #[test]
    fn a_delivered_webhook_leaves_no_job_behind_but_a_call_keeps_its_row() {
        let now = Timestamp::UNIX_EPOCH;
        assert_eq!(
            RetryPolicy::webhook_deliveries().finish(&job(1, now), JobOutcome::Done, now),
            JobFinish::Forget
        );
        assert_eq!(
            RetryPolicy::default().finish(&job(1, now), JobOutcome::Done, now),
            JobFinish::Done
        );
    }

    #[test]
    fn retries_keep_going_for_at_least_ten_minutes() {
        let policy = RetryPolicy::default();
        let created = Timestamp::UNIX_EPOCH;
        let mut now = created;
        let mut attempt = 1;
        loop {
            match policy.finish(&job(attempt, created), JobOutcome::Retry("x".into()), now) {
                JobFinish::DueAgain { at, .. } => now = at,
                JobFinish::Failed(_) => break,
                JobFinish::Done | JobFinish::Forget => unreachable!(),
            }
            attempt += 1;
        }
        assert!(now.duration_since(created) >= SignedDuration::from_mins(10));
    }
}
