//! What every request handler shares: the domain's services and the HTTP
//! settings. Nothing here knows how anything is stored.

use std::sync::Arc;

use hotline_domain::admin::{AccessService, AdminService};
use hotline_domain::intent::IntentFeedbackStore;
use hotline_domain::readiness::Readiness;
use hotline_domain::reports::ReportService;
use hotline_domain::routing::{FollowUp, RoutingService};
use hotline_domain::webhooks::WebhookService;
use hotline_domain::work::JobStore;

/// Settings the HTTP layer needs.
#[derive(Debug, Clone)]
pub struct ApiConfig {
    /// The base URL Twilio reaches this server at, without a trailing slash.
    pub public_url: String,
    /// Twilio's auth token for checking signatures; `None` is sandbox mode,
    /// where unsigned webhooks are accepted.
    pub twilio_auth_token: Option<String>,
    /// Twilio requests handled at once; past it they are answered 503 at
    /// once (Twilio delivers them again) instead of waiting in a queue.
    pub max_webhooks_in_flight: usize,
    /// `HOTLINE_METRICS_TOKEN`: when set, `/metrics` needs it as a bearer token.
    pub metrics_token: Option<String>,
}

/// Shared state of the service.
#[derive(Clone)]
pub struct AppState {
    /// The hot-transfer policy.
    pub routing: RoutingService,
    /// Clients, teams and hours.
    pub admin: AdminService,
    /// Tokens, admins and web sessions.
    pub access: AccessService,
    /// Leads, calls, escalations and statistics.
    pub reports: ReportService,
    /// Admins' verdicts on scored messages.
    pub feedback: Arc<dyn IntentFeedbackStore>,
    /// Whether the store answers.
    pub readiness: Arc<dyn Readiness>,
    /// HTTP settings.
    pub config: Arc<ApiConfig>,
    /// Counters for `/metrics`.
    pub metrics: Arc<crate::metrics::Metrics>,
    /// Jobs this process is running, so shutdown can wait for them.
    pub running: FollowUpsRunning,
    /// Wakes this process's job worker when a decision stored work.
    pub wake: Arc<tokio::sync::Notify>,
    /// The job queue, for its health in `/metrics`.
    pub jobs: Arc<dyn JobStore>,
    /// Outbound webhook endpoints.
    pub webhooks: WebhookService,
    /// Failed sign-ins and token checks per address.
    pub auth_limit: Arc<crate::auth_limit::FailedAuthLimit>,
}

/// How many jobs are running, and a signal when none is.
#[derive(Debug, Clone, Default)]
pub struct FollowUpsRunning(Arc<(std::sync::atomic::AtomicUsize, tokio::sync::Notify)>);

impl FollowUpsRunning {
    /// Counts one more running job until the guard is dropped.
    pub fn start(&self) -> RunningGuard {
        self.0.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        RunningGuard(self.clone())
    }

    /// How many are running now.
    pub fn count(&self) -> usize {
        self.0.0.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Waits until none is running, for at most `grace`; whether none is.
    pub async fn drain(&self, grace: std::time::Duration) -> bool {
        let all_done = async {
            loop {
                let notified = self.0.1.notified();
                if self.count() == 0 {
                    return;
                }
                notified.await;
            }
        };
        tokio::time::timeout(grace, all_done).await.is_ok()
    }
}

/// Counts one running job until dropped.
#[derive(Debug)]
pub struct RunningGuard(FollowUpsRunning);

impl Drop for RunningGuard {
    fn drop(&mut self) {
        (self.0)
            .0
            .0
            .fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
        (self.0).0.1.notify_waiters();
    }
}

impl AppState {
    /// Wakes the job worker when an event stored work, so its first run
    /// does not wait for the next poll. The work itself is already stored.
    pub fn work_stored(&self, follow_ups: &[FollowUp]) {
        if !follow_ups.is_empty() {
            self.wake.notify_one();
        }
    }
}
