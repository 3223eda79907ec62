//! The composition root: every adapter wired to the domain's services and
//! the HTTP service. `hotline serve` and every test that boots Hotline use
//! [`build`], so they run the same wiring and the same workers.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Context;
use hotline_api::{ApiConfig, AppState, PublicLinks};
use hotline_db::{Db, UuidV7Ids};
use hotline_domain::admin::{AccessService, AdminService, Randomness, RandomnessUnavailable};
use hotline_domain::reports::ReportService;
use hotline_domain::routing::ports::{Clock, Telephony};
use hotline_domain::routing::{RoutingConfig, RoutingPorts, RoutingService};
use hotline_domain::webhooks::WebhookService;
use hotline_domain::work::{Lane, RetryPolicy};
use hotline_domain::{BuiltinIntentScorer, Timestamp};
use hotline_twilio::{Credentials, SandboxTelephony, TwilioClient, TwilioConfig};

use crate::config::Config;
use crate::counted_telephony::CountedTelephony;
use crate::webhooks::{HttpWebhookSender, ResolvingGuard};
use crate::worker::{BACKGROUND_GATHER, BACKGROUND_JOBS, JobWorker, URGENT_JOBS, WakingJobs};

/// How often the worker prunes when `HOTLINE_RETENTION_DAYS` is set.
const RETENTION_INTERVAL: Duration = Duration::from_secs(3600);

/// The system clock.
struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// The operating system's randomness.
struct OsRandomness;

impl Randomness for OsRandomness {
    fn fill(&self, bytes: &mut [u8]) -> Result<(), RandomnessUnavailable> {
        getrandom::fill(bytes).map_err(|e| RandomnessUnavailable(e.to_string()))
    }
}

/// Parts a test may replace; `Default` is production's.
#[derive(Default)]
pub struct Overrides {
    /// The clock (tests pin it).
    pub clock: Option<Arc<dyn Clock>>,
    /// The telephony adapter (tests use a Twilio client with short timeouts).
    pub telephony: Option<Arc<dyn Telephony>>,
    /// The policy's settings.
    pub routing: Option<RoutingConfig>,
}

/// Hotline, wired: the HTTP service's state and the database it runs on.
pub struct Hotline {
    /// What every handler shares.
    pub state: AppState,
    /// The database (for workers, and for tests that look inside).
    pub db: Arc<Db>,
    clock: Arc<dyn Clock>,
    background_wake: Arc<tokio::sync::Notify>,
}

/// Background workers; dropping them stops them.
pub struct Workers {
    jobs: Vec<tokio::task::JoinHandle<()>>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
    stopping: Arc<AtomicBool>,
    running: hotline_api::FollowUpsRunning,
}

impl Workers {
    /// Shutdown: the job worker runs what is due now and stops claiming;
    /// waits at most `grace` for that and for the jobs it runs. Whether
    /// everything finished; what did not runs later on any process.
    pub async fn finish(mut self, grace: Duration) -> bool {
        self.stopping.store(true, Ordering::SeqCst);
        let workers = std::mem::take(&mut self.jobs);
        let running = self.running.clone();
        tokio::time::timeout(grace, async move {
            for worker in workers {
                let _ = worker.await;
            }
            running.drain(grace).await
        })
        .await
        .unwrap_or(false)
    }
}

impl Drop for Workers {
    fn drop(&mut self) {
        for task in self.tasks.iter().chain(&self.jobs) {
            task.abort();
        }
    }
}

/// Connects to the database, applies pending migrations and wires every
/// service.
///
/// # Errors
///
/// When the database cannot be opened or migrated, or the Twilio client
/// cannot be built.
pub async fn build(config: &Config, overrides: Overrides) -> anyhow::Result<Hotline> {
    let db = Arc::new(connect(config).await?);
    let (telephony, auth_token) = match overrides.telephony {
        Some(telephony) => (
            telephony,
            config.twilio.as_ref().map(|t| t.auth_token.clone()),
        ),
        None => telephony(config)?,
    };
    let metrics = Arc::new(hotline_api::Metrics::new().context("cannot register the metrics")?);
    let telephony: Arc<dyn Telephony> = Arc::new(CountedTelephony {
        inner: telephony,
        metrics: metrics.clone(),
    });
    let clock = overrides.clock.unwrap_or_else(|| Arc::new(SystemClock));
    let worker_clock = clock.clone();
    let wake: Arc<tokio::sync::Notify> = Arc::default();
    let background_wake: Arc<tokio::sync::Notify> = Arc::default();
    let routing = RoutingService::new(
        RoutingPorts {
            clients: db.clone(),
            leads: db.clone(),
            ring_groups: db.clone(),
            escalations: db.clone(),
            telephony,
            links: Arc::new(PublicLinks::new(&config.public_url)),
            scorer: Arc::new(BuiltinIntentScorer::new(config.intent_threshold)),
            clock,
            ids: Arc::new(UuidV7Ids),
            jobs: Arc::new(WakingJobs {
                inner: db.clone(),
                wake: vec![wake.clone(), background_wake.clone()],
            }),
            webhooks: db.clone(),
            webhook_sender: Arc::new(
                HttpWebhookSender::new(config.webhook_allow_private)
                    .context("cannot build the webhook client")?,
            ),
        },
        overrides.routing.unwrap_or(RoutingConfig {
            ring_timeout_seconds: config.ring_timeout_seconds,
            calls_per_second: config.calls_per_second,
            ..RoutingConfig::default()
        }),
    )
    .with_observer(metrics.clone());
    let state = AppState {
        routing,
        admin: AdminService::new(db.clone()),
        access: AccessService::new(
            db.clone(),
            Arc::new(OsRandomness),
            config.admin_token.as_deref(),
        ),
        reports: ReportService::new(db.clone()),
        feedback: db.clone(),
        readiness: db.clone(),
        metrics,
        running: hotline_api::FollowUpsRunning::default(),
        auth_limit: Arc::default(),
        wake,
        jobs: db.clone(),
        webhooks: WebhookService::new(
            db.clone(),
            Arc::new(ResolvingGuard {
                allow_private: config.webhook_allow_private,
            }),
            Arc::new(OsRandomness),
        ),
        config: Arc::new(ApiConfig {
            public_url: config.public_url.clone(),
            twilio_auth_token: auth_token,
            max_webhooks_in_flight: config.max_webhooks_in_flight,
            metrics_token: config.metrics_token.clone(),
        }),
    };
    Ok(Hotline {
        state,
        db,
        clock: worker_clock,
        background_wake,
    })
}

impl Hotline {
    /// Every route of the service.
    pub fn router(&self) -> axum::Router {
        hotline_api::router(self.state.clone())
    }

    /// Starts the workers: the job worker (calls, texts, ring-group
    /// deadlines), and pruning when `retention_days` is set.
    pub fn start_workers(&self, retention_days: Option<u32>) -> Workers {
        let stopping = Arc::new(AtomicBool::new(false));
        let worker = |lane, wake: &Arc<tokio::sync::Notify>, concurrency, gather| JobWorker {
            routing: self.state.routing.clone(),
            jobs: self.db.clone(),
            clock: self.clock.clone(),
            policy: RetryPolicy::default(),
            wake: wake.clone(),
            running: self.state.running.clone(),
            stopping: stopping.clone(),
            lane,
            concurrency,
            gather,
        };
        // Calls and texts never wait behind webhook deliveries.
        let urgent = worker(Lane::Urgent, &self.state.wake, URGENT_JOBS, Duration::ZERO);
        let background = worker(
            Lane::Background,
            &self.background_wake,
            BACKGROUND_JOBS,
            BACKGROUND_GATHER,
        );
        let jobs = vec![tokio::spawn(urgent.run()), tokio::spawn(background.run())];
        let mut tasks = Vec::new();
        if let Some(days) = retention_days {
            tasks.push(tokio::spawn(prune_periodically(self.db.clone(), days)));
        }
        Workers {
            jobs,
            tasks,
            stopping,
            running: self.state.running.clone(),
        }
    }
}

/// Connects and applies pending migrations.
///
/// # Errors
///
/// When the database cannot be opened or migrated.
pub async fn connect(config: &Config) -> anyhow::Result<Db> {
    let db = Db::connect_with_pool(&config.database_url, config.database_pool_size)
        .await
        .context("cannot open the database")?;
    db.migrate().await.context("cannot apply migrations")?;
    Ok(db)
}

fn telephony(config: &Config) -> anyhow::Result<(Arc<dyn Telephony>, Option<String>)> {
    let Some(twilio) = &config.twilio else {
        tracing::warn!(
            "SANDBOX MODE: no TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN. No call or text will be sent \
             (they are only logged) and webhooks are accepted WITHOUT signature checks."
        );
        return Ok((Arc::new(SandboxTelephony::default()), None));
    };
    let credentials = match &twilio.api_key {
        Some((sid, secret)) => Credentials::ApiKey {
            sid: sid.clone(),
            secret: secret.clone(),
        },
        None => Credentials::AuthToken(twilio.auth_token.clone()),
    };
    let mut settings = TwilioConfig::new(twilio.account_sid.clone(), credentials);
    settings.base_url = config.twilio_api_base.clone();
    settings.calls_per_second = config.calls_per_second;
    settings.machine_detection = config.agent_machine_detection;
    let client = TwilioClient::new(settings).context("cannot build the Twilio client")?;
    Ok((Arc::new(client), Some(twilio.auth_token.clone())))
}

/// Deletes records older than `days` now and then once an hour. Several
/// processes may prune at once: each batch deletes what is still there.
async fn prune_periodically(db: Arc<Db>, days: u32) {
    let mut tick = tokio::time::interval(RETENTION_INTERVAL);
    loop {
        tick.tick().await;
        let Ok(cutoff) =
            Timestamp::now().checked_sub(jiff::SignedDuration::from_hours(24 * i64::from(days)))
        else {
            continue;
        };
        match db.prune(cutoff).await {
            Ok(pruned) => tracing::info!(
                before = %cutoff,
                messages = pruned.messages,
                call_attempts = pruned.call_attempts,
                webhook_deliveries = pruned.webhook_deliveries,
                jobs = pruned.jobs,
                "pruned old records"
            ),
            Err(error) => tracing::warn!(%error, "cannot prune old records"),
        }
    }
}
