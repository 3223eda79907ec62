//! The job worker of one process: claims due jobs under a lease, runs each
//! through the routing policy, records how it went, and renews the leases
//! of the jobs it is still running. Every `hotline serve` sharing a
//! database runs one; the store hands each job to one of them at a time.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hotline_api::FollowUpsRunning;
use hotline_domain::routing::ports::{Clock, StoreError};
use hotline_domain::routing::{FollowUp, RoutingService};
use hotline_domain::work::{ClaimedJob, JobFinish, JobId, JobOutcome, JobStore, Lane, RetryPolicy};
use tokio::sync::{Notify, Semaphore};

/// How long an idle worker waits before looking again (a commit in this
/// process wakes it at once).
const POLL_INTERVAL: Duration = Duration::from_secs(1);

/// Urgent jobs (calls, texts) one process runs at once.
pub const URGENT_JOBS: usize = 32;

/// Webhook jobs one process runs at once: few, so a gathered claim never
/// floods the runtime with deliveries while SMS webhooks wait (32 at once
/// raised the SMS p99 under load from 15 to 25-47 ms; docs/performance.md).
pub const BACKGROUND_JOBS: usize = 8;

/// How long the webhook lane lets work gather after a wake before it claims:
/// one claim then takes many deliveries instead of one each, which keeps
/// the database's time for the SMS webhook under load.
pub const BACKGROUND_GATHER: Duration = Duration::from_millis(100);

/// The longest one run may take before it counts as a failure to retry.
const JOB_TIMEOUT: Duration = Duration::from_secs(120);

/// Everything a worker needs.
#[derive(Clone)]
pub struct JobWorker {
    /// Runs each job.
    pub routing: RoutingService,
    /// Where jobs are stored.
    pub jobs: Arc<dyn JobStore>,
    /// The policy's clock.
    pub clock: Arc<dyn Clock>,
    /// Retries, give-up and lease length.
    pub policy: RetryPolicy,
    /// Signalled when this process stored work.
    pub wake: Arc<Notify>,
    /// Jobs running now, for the shutdown drain.
    pub running: FollowUpsRunning,
    /// Set on shutdown: run what is due now, then stop claiming.
    pub stopping: Arc<AtomicBool>,
    /// The jobs this worker takes.
    pub lane: Lane,
    /// Jobs it runs at once.
    pub concurrency: usize,
    /// How long it waits after a wake before claiming (zero: at once).
    pub gather: Duration,
}

impl JobWorker {
    /// Claims and runs jobs; once `stopping` is set, it still takes what is
    /// due and returns at the first claim that finds nothing (the jobs it
    /// started may still be running: see `FollowUpsRunning::drain`).
    pub async fn run(self) {
        let owner = uuid::Uuid::now_v7();
        let held: Arc<Mutex<HashSet<JobId>>> = Arc::default();
        let heartbeat = tokio::spawn(self.clone().renew_leases(owner, held.clone()));
        let slots = Arc::new(Semaphore::new(self.concurrency.max(1)));
        loop {
            let stopping = self.stopping.load(Ordering::SeqCst);
            let free = slots.available_permits();
            if free == 0 {
                // Wait for a slot, then look again.
                if let Ok(permit) = slots.clone().acquire_owned().await {
                    drop(permit);
                }
                continue;
            }
            let now = self.clock.now();
            let lease = self.policy.lease(owner, now);
            let limit = u32::try_from(free).unwrap_or(1);
            let claimed = match self.jobs.claim_due_in(self.lane, &lease, now, limit).await {
                Ok(claimed) => claimed,
                Err(error) => {
                    tracing::warn!(%error, "cannot claim due jobs");
                    tokio::time::sleep(POLL_INTERVAL).await;
                    continue;
                }
            };
            if stopping && claimed.is_empty() {
                break;
            }
            let full_batch = claimed.len() == free;
            for job in claimed {
                let Ok(permit) = slots.clone().acquire_owned().await else {
                    return;
                };
                if let Ok(mut held) = held.lock() {
                    held.insert(job.id);
                }
                let running = self.running.start();
                let worker = self.clone();
                let held = held.clone();
                tokio::spawn(async move {
                    let id = job.id;
                    worker.run_one(owner, job).await;
                    if let Ok(mut held) = held.lock() {
                        held.remove(&id);
                    }
                    drop((permit, running));
                });
            }
            if !full_batch && !stopping {
                tokio::select! {
                    () = self.wake.notified() => {}
                    () = tokio::time::sleep(POLL_INTERVAL) => {}
                }
                if !self.gather.is_zero() && !self.stopping.load(Ordering::SeqCst) {
                    tokio::time::sleep(self.gather).await;
                }
            }
        }
        heartbeat.abort();
    }

    /// Runs one job and records its outcome (only while this worker still
    /// holds it).
    async fn run_one(&self, owner: uuid::Uuid, job: ClaimedJob) {
        let kind = job.work.kind();
        let run = self.routing.run_attempt(&job.work, job.attempt);
        let outcome = match tokio::time::timeout(JOB_TIMEOUT, run).await {
            Ok(Ok(outcome)) => outcome,
            Ok(Err(error)) => JobOutcome::Retry(error.to_string()),
            Err(_) => JobOutcome::Retry("the run took too long".to_owned()),
        };
        let now = self.clock.now();
        // Webhook deliveries follow their own schedule (hours, not minutes).
        let policy = if matches!(job.work, FollowUp::DeliverWebhook { .. }) {
            RetryPolicy::webhook_deliveries()
        } else {
            self.policy
        };
        let finish = policy.finish(&job, outcome, now);
        match &finish {
            JobFinish::Done | JobFinish::Forget => {
                tracing::debug!(job = %job.id, kind, "job done");
            }
            JobFinish::DueAgain { at, error: None } => {
                tracing::debug!(job = %job.id, kind, %at, "job due again");
            }
            JobFinish::DueAgain {
                at,
                error: Some(error),
            } => {
                tracing::warn!(job = %job.id, kind, attempt = job.attempt, %at, %error, "job failed; will retry")
            }
            JobFinish::Failed(error) => {
                tracing::error!(job = %job.id, kind, attempt = job.attempt, %error, "job failed for good");
                if let Err(error) = self.routing.abandon(&job.work, error).await {
                    tracing::warn!(job = %job.id, kind, %error, "cannot record the job's failure on its records");
                }
            }
        }
        match self
            .jobs
            .finish(job.id, owner, job.attempt, &finish, now)
            .await
        {
            Ok(true) => {}
            Ok(false) => {
                tracing::warn!(job = %job.id, kind, "job lease lost; its outcome is another run's")
            }
            Err(error) => {
                tracing::warn!(job = %job.id, kind, %error, "cannot record the job's outcome; it runs again")
            }
        }
    }

    /// Keeps the leases of running jobs from running out while they run.
    async fn renew_leases(self, owner: uuid::Uuid, held: Arc<Mutex<HashSet<JobId>>>) {
        let every = self
            .policy
            .lease
            .checked_div(3)
            .and_then(|d| Duration::try_from(d).ok())
            .unwrap_or(Duration::from_secs(2));
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            let ids: Vec<JobId> = held
                .lock()
                .map(|h| h.iter().copied().collect())
                .unwrap_or_default();
            if ids.is_empty() {
                continue;
            }
            let until = self.policy.lease(owner, self.clock.now()).until;
            if let Err(error) = self.jobs.renew(owner, &ids, until).await {
                tracing::warn!(%error, "cannot renew job leases");
            }
        }
    }
}

/// The job store as the routing policy sees it: jobs stored on their own
/// (a webhook fan-out, a sequential group's next wave) wake this process's
/// workers at once, as a decision's commit does.
pub struct WakingJobs {
    /// The store.
    pub inner: Arc<dyn JobStore>,
    /// The workers' signals.
    pub wake: Vec<Arc<Notify>>,
}

#[async_trait::async_trait]
impl JobStore for WakingJobs {
    async fn enqueue(&self, jobs: &[hotline_domain::work::NewJob]) -> Result<(), StoreError> {
        self.inner.enqueue(jobs).await?;
        if !jobs.is_empty() {
            for wake in &self.wake {
                wake.notify_one();
            }
        }
        Ok(())
    }

    async fn claim_due_in(
        &self,
        lane: Lane,
        lease: &hotline_domain::work::Lease,
        now: jiff::Timestamp,
        limit: u32,
    ) -> Result<Vec<ClaimedJob>, StoreError> {
        self.inner.claim_due_in(lane, lease, now, limit).await
    }

    async fn finish(
        &self,
        job: JobId,
        owner: uuid::Uuid,
        attempt: u32,
        finish: &JobFinish,
        now: jiff::Timestamp,
    ) -> Result<bool, StoreError> {
        self.inner.finish(job, owner, attempt, finish, now).await
    }

    async fn renew(
        &self,
        owner: uuid::Uuid,
        jobs: &[JobId],
        until: jiff::Timestamp,
    ) -> Result<(), StoreError> {
        self.inner.renew(owner, jobs, until).await
    }

    async fn health(
        &self,
        now: jiff::Timestamp,
    ) -> Result<hotline_domain::work::QueueHealth, StoreError> {
        self.inner.health(now).await
    }
}
